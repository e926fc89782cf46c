/**
 * JSONata builtins that JSONata implements with Node's Buffer (or a browser's btoa/atob), which
 * the workflow sandbox has neither of. These give the same results as JSONata on Node:
 * `Buffer.from(str, 'binary')` keeps the low byte of each UTF-16 code unit, and Node's base64
 * decoder skips characters outside the alphabet and stops at the first `=`.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64encode(str: string | undefined): string | undefined {
  if (str === undefined) return undefined;
  let out = '';
  for (let i = 0; i < str.length; i += 3) {
    const a = str.charCodeAt(i) & 0xff;
    const b = i + 1 < str.length ? str.charCodeAt(i + 1) & 0xff : 0;
    const c = i + 2 < str.length ? str.charCodeAt(i + 2) & 0xff : 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET.charAt((n >> 18) & 63) + ALPHABET.charAt((n >> 12) & 63);
    out += i + 1 < str.length ? ALPHABET.charAt((n >> 6) & 63) : '=';
    out += i + 2 < str.length ? ALPHABET.charAt(n & 63) : '=';
  }
  return out;
}

export function base64decode(str: string | undefined): string | undefined {
  if (str === undefined) return undefined;
  let bits = 0;
  let count = 0;
  let out = '';
  for (const ch of str) {
    if (ch === '=') break;
    // Node also reads the URL-safe alphabet.
    const v = ch === '-' ? 62 : ch === '_' ? 63 : ALPHABET.indexOf(ch);
    if (v < 0) continue;
    bits = (bits << 6) | v;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += String.fromCharCode((bits >> count) & 0xff);
    }
    bits &= 0xffff;
  }
  return out;
}

/** Replacement implementations, by builtin name; the signature stays JSONata's own. */
export const SANDBOX_BUILTINS: Readonly<Record<string, (...args: never[]) => unknown>> =
  Object.freeze({ base64encode, base64decode });
