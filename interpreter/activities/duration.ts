import type { Duration } from '../model';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `5m`, `2h`, `7d` or a number of milliseconds, as milliseconds. */
export function durationMs(value: Duration): number {
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!m) throw new TypeError(`invalid duration: ${value}`);
  return Number(m[1]) * (UNITS[m[2] ?? 'ms'] ?? 1);
}
