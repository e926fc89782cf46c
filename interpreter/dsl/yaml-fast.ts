import {
  type DocumentPositions,
  NO_RECORD,
  type PositionsSource,
  PositionTable,
} from './source-map';

/**
 * A reader for the subset of YAML that flows are written in: block mappings and sequences,
 * comments, one-line scalars (plain, single- and double-quoted), one-line flow collections and
 * literal or folded block scalars. It is many times faster than the `yaml` package on large
 * flows, and gives the same value (YAML 1.2 core schema) and the same positions.
 *
 * It is only a shortcut: on anything outside the subset, on anything it is unsure of and on every
 * error it gives up (`undefined`), and the caller reads the text with the `yaml` package, which
 * reports the problem. So it never has to produce a diagnostic, and never a different one.
 */

export interface YamlSubsetResult {
  value: Record<string, unknown>;
  /** Recorded when first asked for, by reading the text again. */
  positions: PositionsSource;
}

class GiveUp extends Error {}

/**
 * Characters the `yaml` package treats in ways the reader does not mirror: control characters,
 * a byte-order mark and Unicode line breaks; and a carriage return that does not end a line
 * (tested apart: one character class scans several times faster than an alternation).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSUPPORTED_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029]/;
const LONE_CR = /\r(?!\n)/;

/** Nesting beyond this is left to the `yaml` package (and keeps the recursion shallow). */
const MAX_DEPTH = 200;

/** YAML limits implicit keys to 1024 characters; keys near that are left to the `yaml` package. */
const MAX_KEY_LENGTH = 1000;

// The YAML 1.2 core schema's tests, in the order the `yaml` package tries them
// (node_modules/yaml/dist/schema/core/schema.js).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** `,` `[` `]` `{` `}`: they end a plain scalar inside a flow collection. */
function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

/** A plain scalar's value under the core schema. */
function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only these first characters can start a null, a boolean or a number; most plain scalars
  // (ids, names, activity types) are settled by this one comparison.
  const maybeNumber = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46; // 0-9 + - .
  if (!maybeNumber && c !== 126 && c !== 110 && c !== 78 && c !== 116 && c !== 84) {
    if (c !== 102 && c !== 70) return s; // not ~ n N t T f F
  }
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return c === 116 || c === 84;
  if (!maybeNumber) return s;
  if (INT_OCT.test(s)) return Number.parseInt(s.slice(2), 8);
  if (INT.test(s)) return Number.parseInt(s, 10);
  if (INT_HEX.test(s)) return Number.parseInt(s.slice(2), 16);
  if (FLOAT_NAN.test(s)) {
    if (s.endsWith('nan') || s.endsWith('NaN') || s.endsWith('NAN')) return Number.NaN;
    return c === 45 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return Number.parseFloat(s);
  return s;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

const HEX = /^[0-9a-fA-F]+$/;

/** Sets a key the way the `yaml` package's toJS does: "__proto__" becomes an own property. */
function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    out[key] = value;
  }
}

/**
 * Reads `text` if it is in the subset. Positions are only needed to report diagnostics, and
 * recording them costs a quarter of the read: they are recorded by a second read, on the first
 * lookup.
 */
export function parseYamlSubset(text: string): YamlSubsetResult | undefined {
  const read = readSubset(text, undefined);
  if (!read) return undefined;
  return { value: read.value, positions: () => readSubset(text, new PositionTable())?.positions };
}

/** The reader; it records positions in `table` when there is one. */
function readSubset(
  text: string,
  table: PositionTable | undefined,
): { value: Record<string, unknown>; positions: DocumentPositions | undefined } | undefined {
  if (UNSUPPORTED_CHARS.test(text) || (text.includes('\r') && LONE_CR.test(text))) {
    return undefined;
  }
  const n = text.length;

  // The current content line: its start, its end (before any \r\n), where the next line starts
  // and its indentation. At the end of the text, `indent` is -1, below every block's indentation.
  let lineStart = 0;
  let lineEnd = 0;
  let nextLine = 0;
  let indent = 0;

  // Side channels for the node last read, so that no node allocates a result tuple: where it
  // starts, its record in the position table, and (in a flow) where it ends.
  let nodeAt = 0;
  let nodeRecord = NO_RECORD;
  let flowEnd = 0;

  const giveUp = (): never => {
    throw new GiveUp();
  };

  /**
   * Moves to the first line from `from` that holds content (not blank, not only a comment). At
   * the start of the text, one `---` line (with nothing after it but a comment) is skipped.
   */
  const seekContent = (from: number, documentStart = false): void => {
    let startMarker = documentStart;
    for (let at = from; at < n; ) {
      const nl = text.indexOf('\n', at);
      const next = nl < 0 ? n : nl + 1;
      let end = nl < 0 ? n : nl;
      if (end > at && text.charCodeAt(end - 1) === 13) end--;
      let p = at;
      while (p < end && text.charCodeAt(p) === 32) p++;
      const c = text.charCodeAt(p);
      if (c === 9) giveUp(); // tabs around indentation
      if (p < end && c !== 35) {
        if (p === at && (text.startsWith('---', p) || text.startsWith('...', p))) {
          // Markers end or start a document; only one leading `---` is read.
          if (!startMarker || text.charCodeAt(p) !== 45) giveUp();
          startMarker = false;
          lineEnd = end;
          endOfLine(p + 3);
          at = next;
          continue;
        }
        lineStart = at;
        lineEnd = end;
        nextLine = next;
        indent = p - at;
        return;
      }
      at = next;
    }
    lineStart = lineEnd = nextLine = n;
    indent = -1;
  };

  const isSpaceOrEnd = (p: number): boolean => p >= lineEnd || text.charCodeAt(p) === 32;

  /** `-` followed by a space or the end of the line: a block sequence entry. */
  const isSeqEntry = (p: number): boolean => text.charCodeAt(p) === 45 && isSpaceOrEnd(p + 1);

  /**
   * A plain scalar may not start with an indicator character; `-` may when a non-space follows
   * (`-1`). `?` and `:` may too, but are left to the `yaml` package.
   */
  const plainStartOk = (p: number, inFlow: boolean): boolean => {
    const c = text[p];
    if (c === '-') {
      if (p + 1 >= lineEnd) return false;
      const d = text[p + 1] as string;
      return d !== ' ' && d !== '\t' && !(inFlow && ',[]{}'.includes(d));
    }
    return c !== undefined && !'?:,[]{}#&*!|>\'"%@`\t'.includes(c);
  };

  /** After a scalar or flow collection: only spaces and a comment may end the line. */
  const endOfLine = (p: number): void => {
    const start = p;
    while (p < lineEnd && text.charCodeAt(p) === 32) p++;
    if (p < lineEnd && !(p > start && text.charCodeAt(p) === 35)) giveUp();
  };

  const doubleQuoted = (p: number): string => {
    let out = '';
    let chunk = p + 1;
    for (let i = p + 1; ; i++) {
      if (i >= lineEnd) giveUp(); // multi-line, or unclosed
      const c = text.charCodeAt(i);
      if (c === 34) {
        flowEnd = i + 1;
        return out + text.slice(chunk, i);
      }
      if (c !== 92) continue;
      out += text.slice(chunk, i);
      const e = text[i + 1];
      if (e === undefined || i + 1 >= lineEnd) giveUp();
      const simple = ESCAPES[e as string];
      if (simple !== undefined) {
        out += simple;
        i++;
      } else {
        const length = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : giveUp();
        const hex = text.slice(i + 2, i + 2 + length);
        if (hex.length !== length || !HEX.test(hex)) giveUp();
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff) giveUp();
        out += String.fromCodePoint(code);
        i += 1 + length;
      }
      chunk = i + 1;
    }
  };

  const singleQuoted = (p: number): string => {
    let out = '';
    let chunk = p + 1;
    for (let i = p + 1; ; i++) {
      if (i >= lineEnd) giveUp();
      if (text.charCodeAt(i) !== 39) continue;
      if (text.charCodeAt(i + 1) === 39 && i + 1 < lineEnd) {
        out += text.slice(chunk, i + 1);
        chunk = i + 2;
        i++;
        continue;
      }
      flowEnd = i + 1;
      return out + text.slice(chunk, i);
    }
  };

  const quoted = (p: number): string =>
    text.charCodeAt(p) === 34 ? doubleQuoted(p) : singleQuoted(p);

  /** Duplicates, merge keys (`<<`) and very long keys are the `yaml` package's to judge. */
  const checkKey = (out: Record<string, unknown>, key: string): void => {
    if (key.length > MAX_KEY_LENGTH || key === '<<' || Object.hasOwn(out, key)) giveUp();
  };

  /** A plain key must read as a string: `1:` or `true:` would be stringified by toJS. */
  const plainKey = (p: number, end: number): string => {
    let e = end;
    while (e > p && text.charCodeAt(e - 1) === 32) e--;
    const key = text.slice(p, e);
    if (typeof resolvePlain(key) !== 'string') giveUp();
    return key;
  };

  // ---- flow collections, on one line ----

  const flowScalar = (p: number): unknown => {
    if (!plainStartOk(p, true)) giveUp();
    let i = p;
    let last = p; // end of the last non-space character
    for (; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) continue;
      if (isFlowIndicator(c)) break;
      if (c === 9) giveUp();
      if (c === 35 && text.charCodeAt(i - 1) === 32) giveUp(); // a comment inside the flow
      if (c === 58) {
        // `:` then a space or a flow indicator makes a key: an implicit pair, not read here.
        const d = text.charCodeAt(i + 1);
        if (i + 1 >= lineEnd || d === 32 || isFlowIndicator(d)) giveUp();
      }
      last = i + 1;
    }
    flowEnd = last;
    return resolvePlain(text.slice(p, last));
  };

  const skipSpaces = (p: number): number => {
    while (p < lineEnd && text.charCodeAt(p) === 32) p++;
    return p;
  };

  /**
   * After an item of a flow collection: the offset of `close` when the collection ends there,
   * else of the next item after a comma. Anything else, a trailing comma included, gives up.
   */
  const nextFlowItem = (close: number): number => {
    const i = skipSpaces(flowEnd);
    const d = text.charCodeAt(i);
    if (d === close) return i;
    if (d !== 44) giveUp();
    const next = skipSpaces(i + 1);
    if (text.charCodeAt(next) === close) giveUp();
    return next;
  };

  const flowNode = (p: number, depth: number): unknown => {
    if (depth > MAX_DEPTH || p >= lineEnd) giveUp();
    const c = text.charCodeAt(p);
    if (c === 91) {
      const out: unknown[] = [];
      const mark = table?.mark() ?? 0;
      let i = skipSpaces(p + 1);
      if (text.charCodeAt(i) !== 93) {
        for (;;) {
          const at = i;
          out.push(flowNode(i, depth + 1));
          table?.addItem(at, nodeRecord);
          i = nextFlowItem(93);
          if (text.charCodeAt(i) === 93) break;
        }
      }
      if (i >= lineEnd) giveUp();
      flowEnd = i + 1;
      nodeRecord = table ? table.closeSequence(mark) : NO_RECORD;
      return out;
    }
    if (c === 123) {
      const out: Record<string, unknown> = {};
      const mark = table?.mark() ?? 0;
      let i = skipSpaces(p + 1);
      if (text.charCodeAt(i) !== 125) {
        for (;;) {
          const keyAt = i;
          let key: string;
          const k = text.charCodeAt(i);
          if (k === 34 || k === 39) {
            key = quoted(i);
            i = skipSpaces(flowEnd);
            if (text.charCodeAt(i) !== 58) giveUp();
          } else {
            if (!plainStartOk(i, true)) giveUp();
            let j = i;
            for (; j < lineEnd; j++) {
              const d = text.charCodeAt(j);
              if (d === 58 && text.charCodeAt(j + 1) === 32) break;
              if (isFlowIndicator(d) || d === 9) giveUp();
              if (d === 35 && text.charCodeAt(j - 1) === 32) giveUp();
            }
            if (j >= lineEnd) giveUp();
            key = plainKey(i, j);
            i = j;
          }
          checkKey(out, key);
          // A value must follow `: `; `{ a }`, `{ a: }` and `{"a":1}` are left to the `yaml` package.
          if (text.charCodeAt(i + 1) !== 32) giveUp();
          i = skipSpaces(i + 1);
          const d = text.charCodeAt(i);
          if (i >= lineEnd || d === 44 || d === 125 || d === 93) giveUp();
          const valueAt = i;
          const value = flowNode(i, depth + 1);
          table?.addEntry(key, keyAt, valueAt, nodeRecord);
          setKey(out, key, value);
          i = nextFlowItem(125);
          if (text.charCodeAt(i) === 125) break;
        }
      }
      if (i >= lineEnd) giveUp();
      flowEnd = i + 1;
      nodeRecord = table ? table.closeMapping(mark) : NO_RECORD;
      return out;
    }
    nodeRecord = NO_RECORD;
    if (c === 34 || c === 39) return quoted(p);
    return flowScalar(p);
  };

  // ---- block scalars ----

  /**
   * `|` or `>` at `p`, with content more indented than `parentIndent`. Leaves the current line at
   * the next content line after the scalar.
   */
  const blockScalar = (p: number, parentIndent: number): string => {
    const folded = text.charCodeAt(p) === 62;
    let q = p + 1;
    let chomp = 0; // -1 strip, 0 clip, 1 keep
    if (text.charCodeAt(q) === 45) {
      chomp = -1;
      q++;
    } else if (text.charCodeAt(q) === 43) {
      chomp = 1;
      q++;
    }
    endOfLine(q); // an indentation indicator, or anything else, gives up here

    let contentIndent = -1;
    let leadingBlankIndent = 0;
    let out = '';
    let started = false;
    let emptyLines = 0; // since the last content line
    let at = nextLine;
    while (at < n) {
      const nl = text.indexOf('\n', at);
      let end = nl < 0 ? n : nl;
      if (end > at && text.charCodeAt(end - 1) === 13) end--;
      let s = at;
      while (s < end && text.charCodeAt(s) === 32) s++;
      const spaces = s - at;
      if (s === end) {
        // Spaces only: an empty line, unless it reaches past the content indentation, where the
        // `yaml` package keeps the extra spaces (or refuses them before the first content line).
        if (contentIndent >= 0 ? spaces > contentIndent : spaces > leadingBlankIndent) {
          if (contentIndent >= 0) giveUp();
          leadingBlankIndent = spaces;
        }
        // Spaces at the very end of the text, with no line break after them, are no line.
        if (nl >= 0) emptyLines++;
      } else {
        if (text.charCodeAt(s) === 9) giveUp();
        if (contentIndent < 0) {
          // An empty block scalar is left to the `yaml` package.
          if (spaces <= parentIndent || leadingBlankIndent > spaces) giveUp();
          contentIndent = spaces;
        }
        if (spaces < contentIndent) break;
        // More-indented lines of a folded scalar are not folded: not implemented.
        if (folded && spaces > contentIndent) giveUp();
        const line = text.slice(at + contentIndent, end);
        if (!started) {
          out = '\n'.repeat(emptyLines) + line;
          started = true;
        } else if (folded && emptyLines === 0) {
          out += ` ${line}`;
        } else {
          out += (folded ? '' : '\n') + '\n'.repeat(emptyLines) + line;
        }
        emptyLines = 0;
      }
      at = nl < 0 ? n : nl + 1;
    }
    if (!started) giveUp();
    seekContent(at);
    if (chomp < 0) return out;
    if (chomp === 0) return `${out}\n`;
    return `${out}\n${'\n'.repeat(emptyLines)}`;
  };

  // ---- block collections ----

  /** A flow collection that is a block's value: nothing but a comment may follow it. */
  const flowValue = (p: number, depth: number): unknown => {
    const value = flowNode(p, depth + 1);
    const record = nodeRecord;
    endOfLine(flowEnd);
    seekContent(nextLine);
    nodeAt = p;
    nodeRecord = record;
    return value;
  };

  /**
   * The value after a mapping's `:` or a sequence's `-` at `p`, in a block at `blockIndent`.
   * Sets nodeAt and nodePositions, and leaves the current line at the next content line.
   */
  const blockValue = (
    p: number,
    blockIndent: number,
    inMapping: boolean,
    depth: number,
  ): unknown => {
    if (depth > MAX_DEPTH) giveUp();
    const q = skipSpaces(p);
    const c = text.charCodeAt(q);
    if (q >= lineEnd || c === 35) {
      // Nothing on this line: the value is the block below, or null.
      const emptyAt = q;
      seekContent(nextLine);
      if (indent > blockIndent) {
        const at = lineStart + indent;
        const d = text.charCodeAt(at);
        // A flow collection on a line of its own, as the `yaml` package prints `{}` and `[]`.
        if (d === 91 || d === 123) return flowValue(at, depth);
        const value = isSeqEntry(at)
          ? blockSequence(indent, at, depth + 1)
          : blockMapping(indent, at, depth + 1);
        nodeAt = at;
        return value;
      }
      // A sequence may sit at its key's own indentation.
      if (inMapping && indent === blockIndent && isSeqEntry(lineStart + indent)) {
        const at = lineStart + indent;
        const value = blockSequence(indent, at, depth + 1);
        nodeAt = at;
        return value;
      }
      nodeAt = emptyAt;
      nodeRecord = NO_RECORD;
      return null;
    }
    if (c === 124 || c === 62) {
      const value = blockScalar(q, blockIndent);
      nodeAt = q;
      nodeRecord = NO_RECORD;
      return value;
    }
    if (c === 91 || c === 123) return flowValue(q, depth);
    if (c === 34 || c === 39) {
      const value = quoted(q);
      const after = skipSpaces(flowEnd);
      if (!inMapping && text.charCodeAt(after) === 58 && isSpaceOrEnd(after + 1)) {
        // `- "key": value`: a compact mapping in a sequence entry.
        const map = blockMapping(q - lineStart, q, depth + 1);
        nodeAt = q;
        return map;
      }
      endOfLine(flowEnd);
      seekContent(nextLine);
      nodeAt = q;
      nodeRecord = NO_RECORD;
      return value;
    }
    if (!inMapping && isSeqEntry(q)) {
      // `- - item`: a compact sequence in a sequence entry.
      const seq = blockSequence(q - lineStart, q, depth + 1);
      nodeAt = q;
      return seq;
    }
    if (!plainStartOk(q, false)) giveUp();
    let last = q;
    for (let i = q; i < lineEnd; i++) {
      const d = text.charCodeAt(i);
      if (d === 32) continue;
      if (d === 9) giveUp();
      if (d === 35 && text.charCodeAt(i - 1) === 32) break;
      if (d === 58 && isSpaceOrEnd(i + 1)) {
        // A key: `- key: value` starts a compact mapping; `key: key2: value` is an error.
        if (inMapping) giveUp();
        const map = blockMapping(q - lineStart, q, depth + 1);
        nodeAt = q;
        return map;
      }
      last = i + 1;
    }
    const value = resolvePlain(text.slice(q, last));
    seekContent(nextLine);
    nodeAt = q;
    nodeRecord = NO_RECORD;
    return value;
  };

  /** A block mapping whose keys sit at column `col`, the first at offset `first`. */
  const blockMapping = (col: number, first: number, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const mark = table?.mark() ?? 0;
    let p = first;
    for (;;) {
      const keyAt = p;
      let key: string;
      let colon: number;
      const c = text.charCodeAt(p);
      if (c === 34 || c === 39) {
        key = quoted(p);
        colon = skipSpaces(flowEnd);
        if (text.charCodeAt(colon) !== 58 || !isSpaceOrEnd(colon + 1)) giveUp();
      } else {
        if (!plainStartOk(p, false)) giveUp();
        colon = p;
        for (;;) {
          if (colon >= lineEnd) giveUp(); // no `: ` on the line: not a key
          const d = text.charCodeAt(colon);
          if (d === 58 && isSpaceOrEnd(colon + 1)) break;
          if (d === 9 || (d === 35 && text.charCodeAt(colon - 1) === 32)) giveUp();
          colon++;
        }
        key = plainKey(p, colon);
      }
      checkKey(out, key);
      const value = blockValue(colon + 1, col, true, depth);
      table?.addEntry(key, keyAt, nodeAt, nodeRecord);
      setKey(out, key, value);
      if (indent < col) break;
      if (indent > col) giveUp();
      p = lineStart + col;
    }
    nodeRecord = table ? table.closeMapping(mark) : NO_RECORD;
    return out;
  };

  /** A block sequence whose `-` entries sit at column `col`, the first at offset `first`. */
  const blockSequence = (col: number, first: number, depth: number): unknown[] => {
    const out: unknown[] = [];
    const mark = table?.mark() ?? 0;
    let p = first;
    for (;;) {
      out.push(blockValue(p + 1, col, false, depth));
      table?.addItem(nodeAt, nodeRecord);
      if (indent > col) giveUp();
      if (indent < col || !isSeqEntry(lineStart + col)) break;
      p = lineStart + col;
    }
    nodeRecord = table ? table.closeSequence(mark) : NO_RECORD;
    return out;
  };

  try {
    seekContent(0, true);
    if (indent < 0) return undefined;
    const offset = lineStart + indent;
    const value = blockMapping(indent, offset, 0);
    // Content left over, less indented than the root.
    if (indent >= 0) return undefined;
    return { value, positions: table && { table, offset, record: nodeRecord } };
  } catch (err) {
    if (err instanceof GiveUp || err instanceof RangeError) return undefined;
    throw err;
  }
}
