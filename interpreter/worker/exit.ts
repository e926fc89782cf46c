/**
 * Ends the process with `code` shortly after the current command returns, unless it ends by
 * itself first (the timer is unref'd). A stopped worker may leave an abandoned plugin behind
 * (one that ignored its cancellation) holding a timer or a socket, which would otherwise keep
 * the process running after a SIGTERM.
 */
export function exitSoon(code: number, ms = 1000): void {
  setTimeout(() => process.exit(code), ms).unref();
}
