import jsonata from 'jsonata';
import { closingBrace, FORBIDDEN_FUNCTIONS, findInAst } from '../model/expressions';
import { type RegexProblem, unsafeRegexIn } from '../model/regex-safety';

/**
 * Finding and checking the `${ … }` expressions in strings. The splitting rules match the
 * interpreter's (braces balanced, JSONata string literals skipped), so what validates here is
 * what runs there.
 */

export { FORBIDDEN_FUNCTIONS };

const FORBIDDEN = new Set<string>(FORBIDDEN_FUNCTIONS);

export interface ExpressionPart {
  /** The JSONata text inside `${ }`. */
  source: string;
  /** Offset of the `${` in the string. */
  offset: number;
}

export interface TemplateScan {
  expressions: ExpressionPart[];
  /** Offset of a `${` that is never closed, if any. */
  unclosed?: number;
}

export function scanTemplate(text: string): TemplateScan {
  const expressions: ExpressionPart[] = [];
  let pos = 0;
  for (;;) {
    const start = text.indexOf('${', pos);
    if (start < 0) return { expressions };
    const end = closingBrace(text, start + 2);
    if (end < 0) return { expressions, unclosed: start };
    expressions.push({ source: text.slice(start + 2, end).trim(), offset: start });
    pos = end + 1;
  }
}

export type ExpressionProblem =
  | { kind: 'syntax'; message: string; position?: number }
  | { kind: 'forbidden'; name: string }
  | { kind: 'regex'; pattern: string; problem: RegexProblem }
  | { kind: 'empty' };

// One parse per distinct text: flows repeat the same expressions a lot.
const checked = new Map<string, ExpressionProblem | null>();

function findForbidden(ast: unknown): string | undefined {
  return findInAst(ast, (n) =>
    n.type === 'variable' && typeof n.value === 'string' && FORBIDDEN.has(n.value)
      ? n.value
      : undefined,
  );
}

/** Checks one expression's JSONata text; null when it is fine. */
export function checkExpression(source: string): ExpressionProblem | null {
  const hit = checked.get(source);
  if (hit !== undefined) return hit;
  let problem: ExpressionProblem | null = null;
  if (source.trim() === '') {
    problem = { kind: 'empty' };
  } else {
    try {
      const ast = jsonata(source).ast();
      const name = findForbidden(ast);
      const regex = name ? null : unsafeRegexIn(ast);
      if (name) problem = { kind: 'forbidden', name };
      else if (regex) problem = { kind: 'regex', ...regex };
    } catch (err) {
      const e = err as { message?: string; position?: number };
      problem = { kind: 'syntax', message: e.message ?? String(err) };
      if (typeof e.position === 'number') problem.position = e.position;
    }
  }
  if (checked.size > 50_000) checked.clear();
  checked.set(source, problem);
  return problem;
}
