/**
 * The lexical rules of `${ … }` expressions, shared by the validator and the interpreter so
 * that what validates is exactly what runs.
 */

/** Functions expressions may not call: they evaluate code or are not deterministic. */
export const FORBIDDEN_FUNCTIONS = ['eval', 'random', 'shuffle', 'now', 'millis'] as const;

/**
 * The index of the `}` that closes an expression whose body starts at `from`, or -1. Braces of
 * object constructors and blocks are balanced, and JSONata string literals are skipped, so
 * `${ {'a': '}'} }` is one expression.
 */
export function closingBrace(source: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * The first value `visit` returns for a node of a parsed JSONata expression (its AST, as
 * `jsonata(text).ast()` gives it), depth first and without recursion: an expression can nest
 * deeper than the stack.
 */
export function findInAst<T>(
  ast: unknown,
  visit: (node: Record<string, unknown>) => T | undefined,
): T | undefined {
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const n of node) stack.push(n);
    } else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      const found = visit(n);
      if (found !== undefined) return found;
      for (const v of Object.values(n)) if (v && typeof v === 'object') stack.push(v);
    }
  }
  return undefined;
}
