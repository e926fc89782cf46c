import type { Logger, LogLevel, LogMetadata } from '@temporalio/common';

export type { Logger } from '@temporalio/common';

const LEVELS: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'INFO'): LogLevel {
  const upper = value?.toUpperCase();
  return upper !== undefined && upper in LEVELS ? (upper as LogLevel) : fallback;
}

function errorFields(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/**
 * One JSON object per line: `{time, level, msg, ...meta}`. It implements Temporal's Logger, so
 * the same logger serves the Runtime (worker and workflow logs: the SDK drops workflow log calls
 * during replay, which is what makes them replay-safe) and Weft's own server logs.
 */
export class JsonLogger implements Logger {
  private readonly min: number;
  constructor(
    level: LogLevel = parseLogLevel(process.env.WEFT_LOG_LEVEL),
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
    private readonly base: LogMetadata = {},
  ) {
    this.min = LEVELS[level];
  }

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (LEVELS[level] < this.min) return;
    const record: Record<string, unknown> = {
      time: new Date().toISOString(),
      level: level.toLowerCase(),
      msg: message,
      ...this.base,
    };
    for (const [key, value] of Object.entries(meta ?? {})) record[key] = errorFields(value);
    let line: string;
    try {
      line = JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    } catch {
      line = JSON.stringify({ time: record.time, level: record.level, msg: message });
    }
    this.write(line);
  }

  /** A logger that adds fixed fields (component, request id) to every line. */
  child(meta: LogMetadata): JsonLogger {
    const min = (Object.keys(LEVELS) as LogLevel[]).find((l) => LEVELS[l] === this.min) ?? 'INFO';
    return new JsonLogger(min, this.write, { ...this.base, ...meta });
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}
