/**
 * Writes an edited yaml Document back so that only the lines of the nodes the edit touched
 * change; every other byte of the file stays as the user wrote it (flow-collection spacing,
 * long lines, quoting, blank lines, comments).
 *
 * The yaml printer reformats a whole document, but it does so deterministically: printing the
 * document before the edit and after it gives two texts that differ only where the edit was.
 * Their line diff says which printed lines changed; the unchanged ones are mapped back to the
 * original text (matched line by line, ignoring the spacing the printer normalises) and copied
 * from there. Lines that only moved (a wrap, a move into a branch) keep their original text,
 * re-indented; only added and changed lines come from the printer.
 */
import { type Document, parseDocument, type ToStringOptions } from 'yaml';
import { type DiffOp, diffLines } from './line-diff';

/** No folding of long lines: a line the user wrote long stays one line. */
export const PRINT_OPTIONS: ToStringOptions = { lineWidth: 0, minContentWidth: 0 };

/** Spacing the printer may change inside a line, so lines are matched without it. */
function shape(line: string): string {
  return line.replace(/\s+/g, '');
}

let cache: { text: string; printed: string[] } | undefined;

/** The original text as the printer writes it (cached: successive edits start from it). */
function printedOriginal(text: string): string[] {
  if (cache?.text !== text) {
    cache = { text, printed: parseDocument(text).toString(PRINT_OPTIONS).split('\n') };
  }
  return cache.printed;
}

/**
 * Prints `doc`, freshly parsed from `text` and not yet edited, as the cache of `text`'s printed
 * lines: the designer does it while the page is idle, so an edit after typing does not parse
 * and print the whole text again (a second or more on 1,000 steps).
 */
export function preparePrinted(text: string, doc: Document): void {
  if (cache?.text !== text) cache = { text, printed: doc.toString(PRINT_OPTIONS).split('\n') };
}

/** For each printed line, the original line it stands for (or -1 when the printer added it). */
function originalLines(original: string[], printed: string[]): Int32Array | undefined {
  const ops = diffLines(original.map(shape), printed.map(shape));
  if (!ops) return undefined;
  const map = new Int32Array(printed.length).fill(-1);
  for (const o of ops) if (o.op === 'same') map[o.b] = o.a;
  return map;
}

/**
 * The text of `edited`, a Document parsed from `before` and then changed in place: `before`
 * with only the changed lines replaced. Falls back to the printer's text when the two cannot
 * be aligned.
 */
export function spliceEdit(before: string, edited: Document): string {
  const after = edited.toString(PRINT_OPTIONS);
  const original = before.split('\n');
  const printedBefore = printedOriginal(before);
  const printedAfter = after.split('\n');
  const toOriginal = originalLines(original, printedBefore);
  const changes = diffLines(printedBefore, printedAfter);
  if (!toOriginal || !changes) return after;
  const moved = movedLines(original, toOriginal, printedBefore, printedAfter, changes);
  const out = merge(original, toOriginal, printedAfter, changes, moved).join('\n');
  // The next edit starts from this text, and the printer writes it as it wrote the edited
  // Document: printing it again is the cost of a whole parse and print, saved per edit.
  cache = { text: out, printed: printedAfter };
  return out;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/**
 * Lines that only moved: a wrap, a move into or out of a branch, a swap. Inside each run of
 * changes, an added line that the printer writes as it wrote a dropped one, but for its
 * indentation, is that line moved: it keeps its original text (merge re-indents it). Paired in
 * order, so a run of equal lines pairs one to one. Returns added printed line -> its original.
 */
function movedLines(
  original: string[],
  toOriginal: Int32Array,
  printedBefore: string[],
  printedAfter: string[],
  changes: DiffOp[],
): Map<number, string> {
  const out = new Map<number, string>();
  let i = 0;
  while (i < changes.length) {
    if (changes[i]?.op === 'same') {
      i++;
      continue;
    }
    const dels: number[] = [];
    const adds: number[] = [];
    for (; i < changes.length; i++) {
      const c = changes[i] as DiffOp;
      if (c.op === 'same') break;
      if (c.op === 'del') dels.push(c.a);
      else adds.push(c.b);
    }
    let d = 0;
    for (const b of adds) {
      const want = (printedAfter[b] ?? '').trimStart();
      if (want === '') continue;
      let k = d;
      while (k < dels.length && (printedBefore[dels[k] ?? -1] ?? '').trimStart() !== want) k++;
      if (k === dels.length) continue;
      const a = dels[k] as number;
      d = k + 1;
      const line = original[toOriginal[a] ?? -1];
      if (line !== undefined) out.set(b, line);
    }
  }
  return out;
}

/**
 * The indentation for printed line `b`, which the printer added, in a file that may indent
 * otherwise (four spaces, lists flush with their key): the indentation of the nearest sibling
 * (a line the printer indents as much, before or after it in the same block), else its
 * parent's plus the printer's step. In a file indented as the printer indents, the printer's.
 */
function indentLike(printed: string[], indents: Int32Array, b: number): number {
  const own = indentOf(printed[b] ?? '');
  let parent: number | undefined;
  for (let k = b - 1; k >= 0; k--) {
    const line = printed[k] ?? '';
    if (line.trim() === '' || (indents[k] ?? -1) < 0) continue;
    const p = indentOf(line);
    if (p === own) return indents[k] ?? own;
    if (p < own) {
      parent = (indents[k] ?? 0) + own - p;
      break;
    }
  }
  for (let k = b + 1; k < printed.length; k++) {
    const line = printed[k] ?? '';
    if (line.trim() === '') continue;
    const p = indentOf(line);
    if (p < own) break;
    if (p === own && (indents[k] ?? -1) >= 0) return indents[k] ?? own;
  }
  return parent ?? own;
}

/**
 * Walks the printed diff: unchanged printed lines are replaced by their original line (and the
 * original lines the printer dropped, such as extra blank lines, come along in place), dropped
 * lines drop their original, added lines come from the printer.
 */
function merge(
  original: string[],
  toOriginal: Int32Array,
  printedAfter: string[],
  changes: DiffOp[],
  moved: Map<number, string>,
): string[] {
  const out: string[] = [];
  // The indentation each printed line ends up with in the output, as far as known: an added
  // line is indented like its siblings, else as far below its parent as the printer put it.
  const indents = new Int32Array(printedAfter.length).fill(-1);
  for (const c of changes) {
    if (c.op !== 'same') continue;
    const at = toOriginal[c.a] ?? -1;
    if (at >= 0) indents[c.b] = indentOf(original[at] ?? '');
  }
  let next = 0; // the next original line not yet copied or dropped
  let lastWasDelete = false;
  // A block of moved lines shifts as one: by what its first line needs where it now stands.
  let shift: number | undefined;
  for (const c of changes) {
    if (c.op === 'add') {
      const printed = printedAfter[c.b] ?? '';
      const line = moved.get(c.b);
      let indent: number;
      if (line !== undefined) {
        if (shift === undefined || !moved.has(c.b - 1)) {
          shift = indentLike(printedAfter, indents, c.b) - indentOf(line);
        }
        indent = Math.max(0, indentOf(line) + shift);
      } else {
        indent = printed.trim() === '' ? 0 : indentLike(printedAfter, indents, c.b);
      }
      indents[c.b] = indent;
      out.push(' '.repeat(indent) + (line ?? printed).trimStart());
      lastWasDelete = false;
      continue;
    }
    const at = toOriginal[c.a] ?? -1;
    if (at < 0) {
      // A line only the printer writes: kept as printed when unchanged, else gone.
      lastWasDelete = c.op === 'del';
      continue;
    }
    if (c.op === 'same') {
      for (; next <= at; next++) out.push(original[next] ?? '');
      lastWasDelete = false;
    } else {
      // Original lines the printer never wrote, just before a dropped line: inside a run of
      // dropped lines they went with the node, before it they stay.
      if (!lastWasDelete) for (; next < at; next++) out.push(original[next] ?? '');
      next = at + 1;
      lastWasDelete = true;
    }
  }
  for (; next < original.length; next++) out.push(original[next] ?? '');
  return out;
}
