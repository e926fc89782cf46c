/**
 * The one template resolver: how a value holding `${ … }` strings becomes a value. The workflow
 * (sync and async paths) and the client (memo and search attributes at start) pass their own
 * evaluator; the rules are here, once, and in schema/README.md (Templates):
 *
 * - Splitting: `${` opens an expression, closed by the `}` that balances it; braces inside
 *   object constructors and blocks, and inside '…', "…" and `…` literals, do not count. An
 *   unclosed `${` is text.
 * - Typing: a string that is exactly one expression, blanks around it allowed (`" ${ n } "`),
 *   takes the expression's value with its type; any other string is interpolated into text.
 * - Interpolation: a string value as is, undefined and null as nothing, anything else as JSON.
 * - Undefined: an object key whose value resolves to undefined is dropped; an array item stays.
 * - Truthiness: JSONata's boolean cast, in truthiness.ts.
 *
 * Pure: no imports beyond the model, so the sandbox, Node and the browser share it.
 */
import { closingBrace } from './expressions';

export type Segment = { text: string } | { expr: string };

export interface ParsedTemplate {
  segments: Segment[];
  /** The string is exactly one `${ … }` (surrounding blanks allowed): its value keeps its type. */
  typed: boolean;
}

export function hasExpression(value: string): boolean {
  return value.includes('${');
}

/** Splits a string into text and (trimmed) expression segments. */
export function splitTemplate(source: string): ParsedTemplate {
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
  return { segments: typed ? exprs : segments, typed };
}

/** An expression's value inside text. */
export function interpolationText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export interface TemplateOptions {
  /** The splitter (the workflow passes a cached one); splitTemplate by default. */
  parse?: (source: string) => ParsedTemplate;
  /** Called with the text's length after each part is added, to refuse a string that grows too long. */
  checkText?: (length: number, source: string) => void;
}

/** Resolves a template with a synchronous evaluator. */
export function resolveTemplateWith(
  template: unknown,
  evaluate: (expr: string) => unknown,
  options: TemplateOptions = {},
): unknown {
  if (typeof template === 'string') {
    if (!hasExpression(template)) return template;
    const parsed = (options.parse ?? splitTemplate)(template);
    if (parsed.typed) return evaluate((parsed.segments[0] as { expr: string }).expr);
    let text = '';
    for (const segment of parsed.segments) {
      text += 'expr' in segment ? interpolationText(evaluate(segment.expr)) : segment.text;
      options.checkText?.(text.length, template);
    }
    return text;
  }
  if (Array.isArray(template))
    return template.map((t) => resolveTemplateWith(t, evaluate, options));
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      const resolved = resolveTemplateWith(value, evaluate, options);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }
  return template;
}

/**
 * Resolves a template with an evaluator that may answer with a promise, one expression at a time.
 * Its shape (which functions are async, what each awaits) is the workflow's asynchronous path as
 * recorded histories ran it: parallel branches interleave on promise turns, so keep it.
 */
export async function resolveTemplateWithAsync(
  template: unknown,
  evaluate: (expr: string) => unknown,
  options: TemplateOptions = {},
): Promise<unknown> {
  if (typeof template === 'string') {
    return hasExpression(template) ? resolveStringAsync(template, evaluate, options) : template;
  }
  if (Array.isArray(template)) {
    const out: unknown[] = [];
    for (const item of template) out.push(await resolveTemplateWithAsync(item, evaluate, options));
    return out;
  }
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      const resolved = await resolveTemplateWithAsync(value, evaluate, options);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }
  return template;
}

async function resolveStringAsync(
  source: string,
  evaluate: (expr: string) => unknown,
  options: TemplateOptions,
): Promise<unknown> {
  const parsed = (options.parse ?? splitTemplate)(source);
  if (parsed.typed) return evaluate((parsed.segments[0] as { expr: string }).expr);
  let text = '';
  for (const segment of parsed.segments) {
    text += 'expr' in segment ? interpolationText(await evaluate(segment.expr)) : segment.text;
    options.checkText?.(text.length, source);
  }
  return text;
}
