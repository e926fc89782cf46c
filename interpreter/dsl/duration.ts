/** Milliseconds per unit of the duration forms the DSL accepts (Temporal's short forms). */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/;

/** A duration in milliseconds, or undefined when it does not parse (expressions included). */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = PATTERN.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNITS[match[2]!]!;
}

/** A guess at what a broken duration meant, for the message: `5 min` -> `5m`. */
export function suggestDuration(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]+)\s*$/.exec(value);
  if (!match) return undefined;
  const unit = match[2]!.toLowerCase();
  const table: Record<string, string> = {
    millis: 'ms',
    msec: 'ms',
    milliseconds: 'ms',
    millisecond: 'ms',
    sec: 's',
    secs: 's',
    second: 's',
    seconds: 's',
    min: 'm',
    mins: 'm',
    minute: 'm',
    minutes: 'm',
    hr: 'h',
    hrs: 'h',
    hour: 'h',
    hours: 'h',
    day: 'd',
    days: 'd',
    ms: 'ms',
    s: 's',
    m: 'm',
    h: 'h',
    d: 'd',
  };
  const short = table[unit];
  return short ? `${match[1]}${short}` : undefined;
}
