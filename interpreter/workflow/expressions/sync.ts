import { expressionFailure } from './errors';
import { checkTemplateText, evaluateNow } from './evaluate';
import { boolean, UNSUPPORTED } from './fast';
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

function resolveWith(
  template: unknown,
  root: ExpressionRoot,
  step: string,
  one: EvaluateOne,
): unknown {
  if (typeof template === 'string') {
    if (!hasExpression(template)) return template;
    const parsed = parseTemplate(template);
    if (parsed.typed) {
      const only = parsed.segments[0];
      return only && 'expr' in only ? one(only.expr, root, step) : template;
    }
    const parts: string[] = [];
    let length = 0;
    for (const s of parsed.segments) {
      if (!('expr' in s)) {
        parts.push(s.text);
        length += s.text.length;
        continue;
      }
      const v = one(s.expr, root, step);
      const text =
        v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
      parts.push(text);
      length += text.length;
      checkTemplateText(length, template, step);
    }
    return parts.join('');
  }
  if (Array.isArray(template)) return template.map((t) => resolveWith(t, root, step, one));
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) {
      const r = resolveWith(v, root, step, one);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return template;
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

/** JSONata's boolean cast (undefined is false). */
export function truthySync(value: unknown): boolean {
  return boolean(value) ?? false;
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
