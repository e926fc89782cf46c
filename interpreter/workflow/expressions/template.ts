import { resolveTemplateWithAsync } from '../../model/template';
import { checkTemplateText, evaluateExpression } from './evaluate';
import { UNSUPPORTED } from './fast';
import type { ExpressionRoot } from './root';
import { hasExpression, parseTemplate } from './segments';
import { resolveTemplateOrDefer } from './sync';
import { conditionHolds } from './truthiness';

/**
 * Resolves a template: every string at any depth that holds `${ … }` is evaluated. A string that
 * is exactly one expression keeps the value's type; others are interpolated into text.
 */
export async function resolveTemplate(
  template: unknown,
  root: ExpressionRoot,
  step: string,
): Promise<unknown> {
  return resolveTemplateNow(template, root, step);
}

/**
 * Like resolveTemplate, but hands the value back without a promise when every expression takes
 * the synchronous path. A `set` that reads and writes vars this way is atomic: no other handler
 * or branch can run between the read and the write.
 */
export function resolveTemplateNow(
  template: unknown,
  root: ExpressionRoot,
  step: string,
): unknown | Promise<unknown> {
  try {
    return resolveTemplateOrDefer(template, root, step);
  } catch (err) {
    if (err !== UNSUPPORTED) throw err;
  }
  return resolveTemplateAsync(template, root, step);
}

/** The model's resolver (model/template.ts) with JSONata's asynchronous evaluator. */
function resolveTemplateAsync(
  template: unknown,
  root: ExpressionRoot,
  step: string,
): Promise<unknown> {
  return resolveTemplateWithAsync(template, (expr) => evaluateExpression(expr, root, step), {
    parse: parseTemplate,
    checkText: (length, source) => checkTemplateText(length, source, step),
  });
}

/** Evaluates a guard or condition written as `${ … }` (or a bare literal) to a boolean. */
export async function resolveBoolean(
  expression: unknown,
  root: ExpressionRoot,
  step: string,
): Promise<boolean> {
  const value = await resolveTemplate(expression, root, step);
  return conditionHolds(value);
}

/**
 * Resolves a key whose value is an expression by contract (`if`, `switch`, `while`, `forEach`,
 * `when`): `${ … }` as usual, and a bare string is read as JSONata text too.
 */
export async function resolveExpression(
  expression: unknown,
  root: ExpressionRoot,
  step: string,
): Promise<unknown> {
  if (typeof expression === 'string' && !hasExpression(expression)) {
    return evaluateExpression(expression, root, step);
  }
  return resolveTemplate(expression, root, step);
}
