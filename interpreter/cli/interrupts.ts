/**
 * SIGINT and SIGTERM for a command that must clean up before it exits (`weft run`): both mean
 * the same, as for any well-behaved CLI under a terminal, a process manager or a container
 * runtime. The first signal calls the current `first` handler (cancel the flow and wait for its
 * cleanup); the second runs `second` for at most `graceMs` and exits at once with 128 + signo.
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type Handled = (typeof SIGNALS)[number];
const EXIT_CODES: Record<Handled, number> = { SIGINT: 130, SIGTERM: 143 };

export class Interrupts {
  /** The first signal received, if any. */
  signal: Handled | undefined;
  private count = 0;
  private first: (signal: Handled) => void = () => undefined;
  private second: (signal: Handled) => Promise<void> | void = () => undefined;
  private readonly before = new Map<Handled, Set<(...args: unknown[]) => void>>();
  private readonly listener = (signal: Handled) => this.receive(signal);

  constructor(private readonly graceMs = 2000) {
    for (const s of SIGNALS) {
      this.before.set(s, new Set(process.listeners(s) as ((...args: unknown[]) => void)[]));
      process.on(s, this.listener);
    }
  }

  /** 128 + the signal's number: what a shell reports for a process a signal ended. */
  exitCode(signal: Handled = this.signal ?? 'SIGINT'): number {
    return EXIT_CODES[signal];
  }

  /** What the first signal does from now on (a signal that came earlier is in `signal`). */
  onFirst(handler: (signal: Handled) => void): void {
    this.first = handler;
  }

  /** What runs, bounded by graceMs, before the second signal exits the process. */
  onSecond(handler: (signal: Handled) => Promise<void> | void): void {
    this.second = handler;
  }

  /**
   * Removes SIGINT/SIGTERM listeners others added since this object was made: the Temporal
   * Runtime's, which would shut every worker down at the first signal, while the cancellation
   * this command asks for needs them to run the flow's onCancel steps and compensations.
   */
  reclaim(): void {
    for (const s of SIGNALS) {
      const before = this.before.get(s)!;
      for (const l of process.listeners(s)) {
        if (l !== this.listener && !before.has(l as (...args: unknown[]) => void)) {
          process.off(s, l);
        }
      }
    }
  }

  dispose(): void {
    for (const s of SIGNALS) process.off(s, this.listener);
  }

  private receive(signal: Handled): void {
    this.count++;
    if (this.count === 1) {
      this.signal = signal;
      this.first(signal);
      return;
    }
    const code = EXIT_CODES[signal];
    const timer = setTimeout(() => process.exit(code), this.graceMs);
    void Promise.resolve()
      .then(() => this.second(signal))
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        process.exit(code);
      });
  }
}
