import { escapeSegment } from '../model';
import type { SourceMap } from './source-map';

/**
 * A JSON reader that records where every value starts, for flows written in JSON. It is an order
 * of magnitude faster than reading JSON through the YAML parser. Anything that is not strict JSON
 * makes it give up (`undefined`), and the caller falls back to the YAML parser, which also reads
 * YAML's JSON-like flow style.
 */

export type JsonParseResult =
  | { ok: true; value: unknown }
  | { ok: false; duplicateKeyAt: number }
  | undefined;

/** Deeper nesting than this is left to the YAML parser, which reports it properly. */
const MAX_DEPTH = 1000;

class GiveUp extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJsonWithPositions(text: string, map: SourceMap): JsonParseResult {
  let i = 0;
  const n = text.length;
  let duplicateKeyAt: number | undefined;

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

  const value = (pointer: string, depth: number, keyOffset?: number): unknown => {
    if (depth > MAX_DEPTH) throw new GiveUp();
    skip();
    map.set(pointer, i, keyOffset);
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      skip();
      if (text[i] === '}') {
        i++;
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
        if (Object.hasOwn(out, key) && duplicateKeyAt === undefined) duplicateKeyAt = keyAt;
        const v = value(`${pointer}/${escapeSegment(key)}`, depth + 1, keyAt);
        // Own data property even for "__proto__", like JSON.parse.
        Object.defineProperty(out, key, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return out;
        }
        throw new GiveUp();
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(`${pointer}/${out.length}`, depth + 1));
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return out;
        }
        throw new GiveUp();
      }
    }
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
    const v = value('', 0);
    skip();
    if (i !== n) return undefined;
    return duplicateKeyAt === undefined ? { ok: true, value: v } : { ok: false, duplicateKeyAt };
  } catch (err) {
    if (err instanceof GiveUp || err instanceof RangeError) return undefined;
    throw err;
  }
}
