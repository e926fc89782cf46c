import { expressionFailure } from './errors';
import { compile } from './evaluate';
import { boolean, evaluateFast, UNSUPPORTED } from './fast';
import type { ExpressionRoot } from './root';
import { hasExpression, parseTemplate } from './segments';

/** Evaluates one expression synchronously; throws an ExpressionError FlowFailure naming the step. */
export function evaluateSync(text: string, root: ExpressionRoot, step: string): unknown {
  try {
    return evaluateFast(compile(text), root);
  } catch (err) {
    if (err !== UNSUPPORTED) throw expressionFailure(step, text, err);
    throw expressionFailure(step, text, {
      code: 'WEFT03',
      message:
        'this expression cannot be evaluated synchronously, as queries, update validators and wait conditions must be (see docs: paths, operators, constructors, lambdas and common functions work)',
    });
  }
}

/** Resolves a template synchronously (the same typed/interpolated rules as resolveTemplate). */
export function resolveTemplateSync(
  template: unknown,
  root: ExpressionRoot,
  step: string,
): unknown {
  if (typeof template === 'string') {
    if (!hasExpression(template)) return template;
    const parsed = parseTemplate(template);
    if (parsed.typed) {
      const only = parsed.segments[0];
      return only && 'expr' in only ? evaluateSync(only.expr, root, step) : template;
    }
    return parsed.segments
      .map((s) => {
        if (!('expr' in s)) return s.text;
        const v = evaluateSync(s.expr, root, step);
        return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
      })
      .join('');
  }
  if (Array.isArray(template)) return template.map((t) => resolveTemplateSync(t, root, step));
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) {
      const r = resolveTemplateSync(v, root, step);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return template;
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
