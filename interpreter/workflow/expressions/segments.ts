import { closingBrace } from '../../model/expressions';

/**
 * Splits a string into text and `${ … }` expression segments. Braces inside the expression
 * (object constructors, blocks) and inside JSONata string literals are balanced, so
 * `${ {'a': '}'} }` is one expression.
 */
export type Segment = { text: string } | { expr: string };

export interface ParsedTemplate {
  segments: Segment[];
  /** The string is exactly one `${ … }` (surrounding whitespace allowed): its value keeps its type. */
  typed: boolean;
}

const cache = new Map<string, ParsedTemplate>();
const CACHE_LIMIT = 10_000;

export function hasExpression(value: string): boolean {
  return value.includes('${');
}

export function parseTemplate(source: string): ParsedTemplate {
  const hit = cache.get(source);
  if (hit) return hit;
  const segments: Segment[] = [];
  let pos = 0;
  while (pos < source.length) {
    const start = source.indexOf('${', pos);
    if (start < 0) break;
    const end = closingBrace(source, start + 2);
    if (end < 0) break;
    if (start > pos) segments.push({ text: source.slice(pos, start) });
    segments.push({ expr: source.slice(start + 2, end).trim() });
    pos = end + 1;
  }
  if (pos < source.length) segments.push({ text: source.slice(pos) });
  const exprs = segments.filter((s) => 'expr' in s);
  const typed = exprs.length === 1 && segments.every((s) => 'expr' in s || s.text.trim() === '');
  const parsed: ParsedTemplate = {
    segments: typed ? exprs : segments,
    typed,
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, parsed);
  return parsed;
}
