import jsonata from 'jsonata';
import { ClientError } from './errors';

/** Splits `text ${ expr } text` into parts, honouring braces nested inside expressions. */
function segments(source: string): ({ text: string } | { expr: string })[] {
  const out: ({ text: string } | { expr: string })[] = [];
  let i = 0;
  while (i < source.length) {
    const start = source.indexOf('${', i);
    if (start < 0) break;
    let depth = 1;
    let j = start + 2;
    let quote: string | undefined;
    for (; j < source.length && depth > 0; j++) {
      const c = source[j];
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    if (depth > 0) break;
    if (start > i) out.push({ text: source.slice(i, start) });
    out.push({ expr: source.slice(start + 2, j - 1) });
    i = j;
  }
  if (i < source.length) out.push({ text: source.slice(i) });
  return out;
}

async function evaluate(expr: string, root: Record<string, unknown>): Promise<unknown> {
  try {
    return await jsonata(expr).evaluate(root);
  } catch (err) {
    throw new ClientError(
      'WEFT_EXPRESSION',
      `expression \${${expr}} failed: ${(err as Error).message}`,
    );
  }
}

/**
 * Resolves the few templates a client must evaluate before the start (workflow search
 * attributes and memo, which exist before the workflow runs): same syntax as in steps, with
 * `input` at the root. A whole-string `${ }` keeps its type; otherwise the text is interpolated.
 */
export async function resolveStartTemplate(
  value: unknown,
  root: Record<string, unknown>,
): Promise<unknown> {
  if (typeof value === 'string') {
    const parts = segments(value);
    if (parts.length === 1 && 'expr' in parts[0]!) return evaluate(parts[0].expr, root);
    if (!parts.some((p) => 'expr' in p)) return value;
    let text = '';
    for (const p of parts) {
      if ('text' in p) text += p.text;
      else {
        const v = await evaluate(p.expr, root);
        text += v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
      }
    }
    return text;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveStartTemplate(v, root)));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolveStartTemplate(v, root);
    return out;
  }
  return value;
}
