/** `host:port`, with a port in range; the Prometheus exporter binds exactly this. */
export function parseHostPort(value: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port < 0 || port > 65535) throw new Error(`expected host:port, got '${value}'`);
  return { host: m[1]!, port };
}
