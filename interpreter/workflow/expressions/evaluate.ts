import jsonata from 'jsonata';
import { FORBIDDEN_FUNCTIONS } from '../../model/expressions';
import { expressionFailure } from './errors';
import { evaluateFast, UNSUPPORTED } from './fast';
import type { ExpressionRoot } from './root';

/**
 * Guards that keep one expression from hanging a workflow task. They count work, not time:
 * a wall-clock limit would make replay depend on the machine, so it cannot be used here.
 */
export const EXPRESSION_LIMITS = {
  /** Nested evaluation depth (deep recursion). */
  stack: 250,
  /** Items in one sequence (huge ranges and mappings). */
  sequence: 100_000,
  /** Evaluation steps in one evaluation (tail-recursive loops, which do not grow the stack). */
  steps: 50_000,
} as const;

/** Functions that are not deterministic (or evaluate code) are replaced by ones that throw. */
const DISABLED = FORBIDDEN_FUNCTIONS;

interface BaseFrame {
  base: { weftSteps?: number };
}

function countStep(_expr: unknown, _input: unknown, environment: BaseFrame): void {
  const base = environment.base;
  base.weftSteps = (base.weftSteps ?? 0) + 1;
  if (base.weftSteps > EXPRESSION_LIMITS.steps) {
    throw {
      code: 'WEFT01',
      message: `evaluation exceeded ${EXPRESSION_LIMITS.steps} steps (endless recursion?)`,
    };
  }
}

// One parse per distinct expression text, shared by every run this worker interprets: the
// parsed form is immutable, evaluation state lives in each evaluate() call's own frame.
const compiled = new Map<string, jsonata.Expression>();
export const CACHE_LIMIT = 10_000;

export function compile(text: string): jsonata.Expression {
  let expr = compiled.get(text);
  if (!expr) {
    expr = jsonata(text, { stack: EXPRESSION_LIMITS.stack, sequence: EXPRESSION_LIMITS.sequence });
    for (const name of DISABLED) {
      expr.registerFunction(name, () => {
        throw {
          code: 'WEFT02',
          message: `$${name}() is disabled in workflows: it is not deterministic (use workflow.now for the time)`,
        };
      });
    }
    expr.assign(Symbol.for('jsonata.__evaluate_entry') as unknown as string, countStep);
    // A long-lived worker sees many flows: bound the cache (parsing again is only slower).
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(text, expr);
  }
  return expr;
}

/**
 * Evaluates one expression on the synchronous fast path, or throws UNSUPPORTED when it needs
 * JSONata's asynchronous evaluator. Other errors come out as ExpressionError failures.
 */
export function evaluateNow(text: string, root: ExpressionRoot, step: string): unknown {
  let expr: jsonata.Expression;
  try {
    expr = compile(text);
  } catch (err) {
    throw expressionFailure(step, text, err);
  }
  try {
    return evaluateFast(expr, root);
  } catch (err) {
    if (err === UNSUPPORTED) throw err;
    throw expressionFailure(step, text, err);
  }
}

/** Evaluates one expression (the text inside `${ }`) against the root; errors name the step. */
export async function evaluateExpression(
  text: string,
  root: ExpressionRoot,
  step: string,
): Promise<unknown> {
  try {
    // Synchronous first: no promises, so no per-promise stack capture in the sandbox.
    return evaluateNow(text, root, step);
  } catch (err) {
    if (err !== UNSUPPORTED) throw err;
  }
  try {
    return normalize(await compile(text).evaluate(root));
  } catch (err) {
    throw expressionFailure(step, text, err);
  }
}

/** JSONata sequences are arrays with extra flags; vars and payloads want plain JSON. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'function') return undefined;
  return value;
}
