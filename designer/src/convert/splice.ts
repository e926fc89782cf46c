/**
 * Writes an edited yaml Document back so that only the lines of the nodes the edit touched
 * change; every other byte of the file stays as the user wrote it (flow-collection spacing,
 * long lines, quoting, blank lines, comments).
 *
 * The yaml printer reformats a whole document, but it does so deterministically: printing the
 * document before the edit and after it gives two texts that differ only where the edit was.
 * Their line diff says which printed lines changed; the unchanged ones are mapped back to the
 * original text (matched line by line, ignoring the spacing the printer normalises) and copied
 * from there. Only added and changed lines come from the printer.
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
  const out = merge(original, toOriginal, printedAfter, changes).join('\n');
  // The next edit starts from this text, and the printer writes it as it wrote the edited
  // Document: printing it again is the cost of a whole parse and print, saved per edit.
  cache = { text: out, printed: printedAfter };
  return out;
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
): string[] {
  const out: string[] = [];
  let next = 0; // the next original line not yet copied or dropped
  let lastWasDelete = false;
  for (const c of changes) {
    if (c.op === 'add') {
      out.push(printedAfter[c.b] ?? '');
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
