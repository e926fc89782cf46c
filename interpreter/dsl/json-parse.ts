import {
  type DocumentPositions,
  NO_RECORD,
  type PositionsSource,
  PositionTable,
} from './source-map';

/**
 * Reading flows written in JSON, an order of magnitude faster than through the YAML parser.
 * Anything that is not strict JSON makes the readers give up (`undefined`), and the caller falls
 * back to the YAML parser, which also reads YAML's JSON-like flow style.
 */

export type JsonParseResult =
  | { ok: true; value: unknown; positions: DocumentPositions }
  | { ok: false; duplicateKeysAt: number[] }
  | undefined;

export type JsonReadResult =
  | { ok: true; value: unknown; positions: PositionsSource }
  | { ok: false; duplicateKeysAt: number[] }
  | undefined;

/** Deeper nesting than this is left to the YAML parser, which reports it properly. */
const MAX_DEPTH = 1000;

/**
 * Reads strict JSON with the engine's JSON.parse, several times faster than a reader written in
 * JavaScript, and leaves the positions to the positional reader below, run only when a position
 * is first asked for (to report a diagnostic).
 *
 * JSON.parse keeps the last of duplicate keys silently, so they are counted instead. In strict
 * JSON every `:` is either inside a string or after a key: the text has as many colons as the
 * value has keys plus colons inside its keys and strings, unless a duplicate key was dropped
 * (which only lowers the value's count) or an escape (`\u003a`) made a colon. When the counts
 * differ, the positional reader decides and finds the duplicate.
 */
export function readJson(text: string): JsonReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
  const inValue = colonsOf(value, 0);
  if (inValue < 0) return undefined;
  if (inValue !== colonsIn(text) || ESCAPED_COLON.test(text)) {
    return parseJsonWithPositions(text);
  }
  return {
    ok: true,
    value,
    positions: () => {
      const parsed = parseJsonWithPositions(text);
      return parsed?.ok ? parsed.positions : undefined;
    },
  };
}

const ESCAPED_COLON = /\\u003[aA]/;

function colonsIn(s: string): number {
  let count = 0;
  for (let at = s.indexOf(':'); at >= 0; at = s.indexOf(':', at + 1)) count++;
  return count;
}

/** One per key, plus the colons inside keys and strings; -1 when nested too deep. */
function colonsOf(value: unknown, depth: number): number {
  if (typeof value === 'string') return value.includes(':') ? colonsIn(value) : 0;
  if (value === null || typeof value !== 'object') return 0;
  if (depth > MAX_DEPTH) return -1;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = colonsOf(item, depth + 1);
      if (inner < 0) return -1;
      count += inner;
    }
    return count;
  }
  for (const key of Object.keys(value)) {
    const inner = colonsOf((value as Record<string, unknown>)[key], depth + 1);
    if (inner < 0) return -1;
    count += 1 + inner + (key.includes(':') ? colonsIn(key) : 0);
  }
  return count;
}

class GiveUp extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A JSON reader that records where every value starts. */
export function parseJsonWithPositions(text: string): JsonParseResult {
  let i = 0;
  const n = text.length;
  const duplicateKeysAt: number[] = [];
  const table = new PositionTable();
  // The record of the value last read (NO_RECORD for a scalar): a side channel, so that no node
  // allocates a result pair.
  let record = NO_RECORD;

  const skip = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return;
    }
  };

  const string = (): string => {
    const start = i; // at the opening quote
    i++;
    let escaped = false;
    for (;;) {
      if (i >= n) throw new GiveUp();
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 32) throw new GiveUp();
      i++;
    }
    i++;
    if (!escaped) return text.slice(start + 1, i - 1);
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw new GiveUp();
    }
  };

  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new GiveUp();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      const mark = table.mark();
      skip();
      if (text[i] === '}') {
        i++;
        record = table.closeMapping(mark);
        return out;
      }
      for (;;) {
        skip();
        if (text[i] !== '"') throw new GiveUp();
        const keyAt = i;
        const key = string();
        skip();
        if (text[i] !== ':') throw new GiveUp();
        i++;
        if (Object.hasOwn(out, key)) duplicateKeysAt.push(keyAt);
        skip();
        const valueAt = i;
        const v = value(depth + 1);
        table.addEntry(key, keyAt, valueAt, record);
        if (key === '__proto__') {
          // An own data property, like JSON.parse, not the prototype setter.
          Object.defineProperty(out, key, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          out[key] = v;
        }
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          record = table.closeMapping(mark);
          return out;
        }
        throw new GiveUp();
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      const mark = table.mark();
      skip();
      if (text[i] === ']') {
        i++;
        record = table.closeSequence(mark);
        return out;
      }
      for (;;) {
        skip();
        const valueAt = i;
        out.push(value(depth + 1));
        table.addItem(valueAt, record);
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          record = table.closeSequence(mark);
          return out;
        }
        throw new GiveUp();
      }
    }
    record = NO_RECORD;
    if (c === '"') return string();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) throw new GiveUp();
    i += m[0].length;
    return Number(m[0]);
  };

  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    skip();
    const offset = i;
    const v = value(0);
    const positions = { table, offset, record };
    skip();
    if (i !== n) return undefined;
    return duplicateKeysAt.length === 0
      ? { ok: true, value: v, positions }
      : { ok: false, duplicateKeysAt };
  } catch (err) {
    if (err instanceof GiveUp || err instanceof RangeError) return undefined;
    throw err;
  }
}
