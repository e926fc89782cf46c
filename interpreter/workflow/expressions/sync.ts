import { resolveTemplateWith } from '../../model/template';
import { expressionFailure } from './errors';
import { checkTemplateText, evaluateNow } from './evaluate';
import { UNSUPPORTED } from './fast';
import type { ExpressionRoot } from './root';
import { hasExpression, parseTemplate } from './segments';

/** Evaluates one expression synchronously; throws an ExpressionError FlowFailure naming the step. */
export function evaluateSync(text: string, root: ExpressionRoot, step: string): unknown {
  try {
    return evaluateNow(text, root, step);
  } catch (err) {
    if (err !== UNSUPPORTED) throw err;
    throw expressionFailure(step, text, {
      code: 'WEFT03',
      message:
        'this expression cannot be evaluated synchronously, as queries, update validators and wait conditions must be (see docs: paths, operators, constructors, lambdas and common functions work)',
    });
  }
}

type EvaluateOne = (text: string, root: ExpressionRoot, step: string) => unknown;

/** The model's resolver (model/template.ts) with one of the workflow's synchronous evaluators. */
function resolveWith(
  template: unknown,
  root: ExpressionRoot,
  step: string,
  one: EvaluateOne,
): unknown {
  return resolveTemplateWith(template, (expr) => one(expr, root, step), {
    parse: parseTemplate,
    checkText: (length, source) => checkTemplateText(length, source, step),
  });
}

/** Resolves a template synchronously (the same typed/interpolated rules as resolveTemplate). */
export function resolveTemplateSync(
  template: unknown,
  root: ExpressionRoot,
  step: string,
): unknown {
  return resolveWith(template, root, step, evaluateSync);
}

/**
 * Resolves a template without creating a single promise, or throws UNSUPPORTED when one of its
 * expressions needs the asynchronous evaluator (the caller then resolves it that way).
 */
export function resolveTemplateOrDefer(
  template: unknown,
  root: ExpressionRoot,
  step: string,
): unknown {
  return resolveWith(template, root, step, evaluateNow);
}

/** Synchronous counterpart of resolveExpression (bare strings are JSONata text). */
export function resolveExpressionSync(
  expression: unknown,
  root: ExpressionRoot,
  step: string,
): unknown {
  if (typeof expression === 'string' && !hasExpression(expression))
    return evaluateSync(expression, root, step);
  return resolveTemplateSync(expression, root, step);
}
