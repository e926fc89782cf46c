/**
 * Flows written in JSON are read with the engine's JSON.parse, an order of magnitude faster than
 * the YAML parser. Their positions come from the YAML parser (JSON is YAML), and only when a
 * diagnostic asks for one (./parse).
 */

/** Deeper nesting than this is left to the YAML parser, which reports it properly. */
const MAX_DEPTH = 1000;

/**
 * The value of strict JSON text; undefined when the text is not strict JSON, or when it may hold
 * a duplicate key, which JSON.parse keeps silently (the last one wins): the YAML parser then
 * reads it and reports the duplicate where it is.
 *
 * Duplicates are found by counting: in strict JSON every `:` is either inside a string or after
 * a key, so the text has as many colons as the value has keys plus colons inside its keys and
 * strings, unless a duplicate key was dropped (which only lowers the value's count) or an escape
 * (`\u003a`) made a colon.
 */
export function readJson(text: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
  const inValue = colonsOf(value, 0);
  if (inValue < 0 || inValue !== colonsIn(text) || ESCAPED_COLON.test(text)) return undefined;
  return { value };
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
