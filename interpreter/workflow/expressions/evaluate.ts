import { inWorkflowContext, patched } from '@temporalio/workflow';
import jsonata from 'jsonata';
import { FORBIDDEN_FUNCTIONS } from '../../model/expressions';
import { MeteredRegExp, meterBuiltRegex } from '../../model/regex-meter';
import { describeRegexProblem, unsafeRegexIn } from '../../model/regex-safety';
import { isJsonataFunction } from '../../model/truthiness';
import { PATCHES } from '../patches';
import {
  type AstNode,
  Budget,
  BudgetExceeded,
  CHARS_PER_UNIT,
  chargeResult,
  EXPRESSION_BUDGET,
  isBudgetExceeded,
  NODE_UNITS,
  REGEX_TAKERS,
} from './budget';
import { SANDBOX_BUILTINS } from './builtins';
import { expressionFailure } from './errors';
import { evaluateFast, fastBudget, UNSUPPORTED } from './fast';
import type { ExpressionRoot } from './root';

/**
 * Guards that keep one expression from hanging a workflow task. They count work, not time:
 * a wall-clock limit would make replay depend on the machine, so it cannot be used here.
 * `steps` is the JSONata step limit of runs recorded before the expression budget
 * (EXPRESSION_BUDGET in budget.ts), which replaces it.
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

/**
 * The binding that carries an evaluation's Budget into JSONata's hooks. JSONata names cannot
 * hold a space, so no expression can read or shadow it.
 */
const BUDGET_BINDING = ' weft budget';

interface Frame {
  base: { weftSteps?: number; weftBudget?: Budget | null };
  lookup(name: string): unknown;
}

function budgetOf(environment: Frame): Budget | null {
  const base = environment.base;
  if (base.weftBudget === undefined) {
    const found = environment.lookup(BUDGET_BINDING);
    base.weftBudget = found instanceof Budget ? found : null;
  }
  return base.weftBudget;
}

function countStep(_expr: unknown, _input: unknown, environment: Frame): void {
  const budget = budgetOf(environment);
  if (budget) {
    budget.node();
    return;
  }
  const base = environment.base;
  base.weftSteps = (base.weftSteps ?? 0) + 1;
  if (base.weftSteps > EXPRESSION_LIMITS.steps) {
    throw {
      code: 'WEFT01',
      message: `evaluation exceeded ${EXPRESSION_LIMITS.steps} steps (endless recursion?)`,
    };
  }
}

/**
 * What one AST node or builtin call cost on JSONata's evaluator before the one work budget
 * (PATCHES.oneWorkBudget), in the old meter's units: every node awaits several promises, and in
 * the workflow sandbox each promise records a stack trace.
 */
export const JSONATA_NODE_UNITS = 1000;

const isJsonataSequence = (v: unknown[]) => (v as { sequence?: unknown }).sequence === true;

function checkResult(expr: AstNode, _input: unknown, environment: Frame, result: unknown): void {
  const budget = budgetOf(environment);
  if (!budget) return;
  meterBuiltRegex(expr, (pattern, degree, length) => budget.regex(pattern, degree, length));
  chargeResult(budget, expr, result, isJsonataSequence);
}

/**
 * Marks the operands of `&` (their values become JSON text, which is sized before it is made)
 * and of the comparisons that walk their operands.
 */
function markConcatOperands(ast: unknown): void {
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const n of node) stack.push(n);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    const n = node as AstNode & { lhs?: AstNode; rhs?: AstNode };
    if (n.type === 'binary' && n.value === '&') {
      if (n.lhs) n.lhs.weftConcatOperand = true;
      if (n.rhs) n.rhs.weftConcatOperand = true;
    }
    if (n.type === 'binary' && (n.value === '=' || n.value === '!=' || n.value === 'in')) {
      if (n.lhs) n.lhs.weftWalkOperand = true;
      if (n.rhs) n.rhs.weftWalkOperand = true;
    }
    for (const v of Object.values(n)) if (v && typeof v === 'object') stack.push(v);
  }
}

// One parse per distinct expression text, shared by every run this worker interprets: the
// parsed form is immutable, evaluation state lives in each evaluate() call's own frame.
const compiled = new Map<string, jsonata.Expression>();
export const CACHE_LIMIT = 10_000;

// Per parsed expression, why a regex literal in it can backtrack catastrophically (null: none).
const unsafeRegex = new WeakMap<jsonata.Expression, { code: string; message: string } | null>();

/**
 * Refuses an expression whose regex could hold the workflow thread for hours inside one exec,
 * which no budget can interrupt. Runs recorded before PATCHES.safeRegex ran such regexes.
 */
function refuseUnsafeRegex(expr: jsonata.Expression, step: string): void {
  let problem = unsafeRegex.get(expr);
  if (problem === undefined) {
    const found = unsafeRegexIn(expr.ast());
    problem = found
      ? { code: 'WEFT100', message: describeRegexProblem(found.pattern, found.problem).message }
      : null;
    unsafeRegex.set(expr, problem);
  }
  if (!problem) return;
  if (inWorkflowContext() && !step.startsWith('query:') && !patched(PATCHES.safeRegex)) return;
  throw problem;
}

/**
 * Parses an expression for JSONata's evaluator. `legacy` is the form runs recorded before the
 * expression budget ran with: no exit hook, so the same number of promise turns per node (the
 * turns decide the order in which parallel branches issue commands).
 */
export function compile(text: string, legacy = false): jsonata.Expression {
  const key = legacy ? `legacy\u0000${text}` : text;
  let expr = compiled.get(key);
  if (!expr) {
    expr = jsonata(text, {
      stack: EXPRESSION_LIMITS.stack,
      sequence: EXPRESSION_LIMITS.sequence,
      // Charges a polynomial regex's worst case before it scans (the exit hook meters it).
      ...(legacy ? {} : { RegexEngine: MeteredRegExp as unknown as RegExpConstructor }),
    });
    for (const name of DISABLED) {
      expr.registerFunction(name, () => {
        throw {
          code: 'WEFT02',
          message: `$${name}() is disabled in workflows: it is not deterministic (use workflow.now for the time)`,
        };
      });
    }
    expr.assign(Symbol.for('jsonata.__evaluate_entry') as unknown as string, countStep);
    if (!legacy) {
      expr.assign(Symbol.for('jsonata.__evaluate_exit') as unknown as string, checkResult);
      markConcatOperands(expr.ast());
    }
    // A long-lived worker sees many flows: bound the cache (parsing again is only slower).
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(key, expr);
  }
  return expr;
}

interface JsonataFunction {
  _jsonata_function: true;
  implementation: (...args: unknown[]) => unknown;
  signature?: unknown;
  arity?: number;
}

interface Focus {
  environment: Frame;
}

/** JSONata's builtins, every one but the disabled ones (which compile() replaces). */
export const JSONATA_BUILTINS = [
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore',
  'substringAfter', 'lowercase', 'uppercase', 'length', 'trim', 'pad', 'match', 'contains',
  'replace', 'split', 'join', 'formatNumber', 'formatBase', 'formatInteger', 'parseInteger',
  'number', 'floor', 'ceil', 'round', 'abs', 'sqrt', 'power', 'boolean', 'not', 'map', 'zip',
  'filter', 'single', 'reduce', 'sift', 'keys', 'lookup', 'append', 'exists', 'spread', 'merge',
  'reverse', 'each', 'error', 'assert', 'type', 'sort', 'distinct', 'base64encode',
  'base64decode', 'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl',
  'toMillis', 'fromMillis', 'clone',
] as const; // biome-ignore format: one list

interface Match {
  next?: () => Match | undefined | Promise<Match | undefined>;
}

/**
 * JSONata's $split, $match and $replace await once per regex match, so each match costs about a
 * node: they are counted (one await each, as JSONata does) and charged before the builtin runs.
 * A regex reaches a builtin as an async function, so it cannot be counted synchronously.
 */
async function chargeMatches(budget: Budget, str: unknown, matcher: unknown): Promise<void> {
  if (typeof str !== 'string' || typeof matcher !== 'function') return;
  const bound = Math.floor(budget.remaining()) + 1;
  let count = 0;
  try {
    let m = (await matcher(str, 0)) as Match | undefined;
    while (m && count < bound) {
      count++;
      m = await m.next?.();
    }
  } catch (err) {
    // The regex's worst case is over the budget (MeteredRegExp): nothing ran.
    if (isBudgetExceeded(err)) throw err;
    // A zero-length match: JSONata raises D1004 itself when it gets there.
  }
  budget.charge(count * NODE_UNITS, count * budget.legacyNodeUnits);
}

/** A builtin that checks the budget before and after the original runs. */
function budgeted(name: string, original: JsonataFunction): JsonataFunction {
  const replacement = SANDBOX_BUILTINS[name] as JsonataFunction['implementation'] | undefined;
  const implementation = async function (this: Focus, ...args: unknown[]): Promise<unknown> {
    const run = replacement ?? original.implementation;
    // JSONata always calls a native function with its focus; anything else runs unchecked.
    const budget = this?.environment ? budgetOf(this.environment) : null;
    if (!budget) return run.apply(this, args);
    budget.before(name, args);
    const checked = Budget.limited(name, args);
    if (REGEX_TAKERS.includes(name)) await chargeMatches(budget, checked[0], checked[1]);
    const result = await run.apply(this, checked);
    budget.after(name, checked, result);
    return result;
  };
  // JSONata reads a native function's parameters from its source text for partial application
  // (`$pad(?, 5)`) and its arity from `length` for $map and friends: keep the original's.
  implementation.toString = () => original.implementation.toString();
  return {
    _jsonata_function: true,
    implementation,
    signature: original.signature,
    arity: original.implementation.length,
  };
}

// The budgeted builtins, made once per worker thread: a pure function of JSONata itself.
const wrappers = new Map<'all', Record<string, JsonataFunction>>();

const CAPTURED = Symbol('captured');

/**
 * JSONata's own builtins, read synchronously: JSONata exposes them only to a running
 * evaluation, and calls an evaluation's entry hook before its first await, so a throwaway
 * evaluation whose hook reads them and throws hands them over at once. Synchronous on purpose:
 * awaiting them on first use would add promise turns to one run's first JSONata evaluation
 * only, and the number of turns decides the order in which parallel branches issue commands.
 */
function jsonataBuiltins(): Record<string, JsonataFunction> {
  const probe = jsonata('$');
  const found: Record<string, JsonataFunction> = {};
  probe.assign(
    Symbol.for('jsonata.__evaluate_entry') as unknown as string,
    (_expr: unknown, _input: unknown, environment: Frame) => {
      for (const name of JSONATA_BUILTINS) {
        found[name] = environment.lookup(name) as JsonataFunction;
      }
      throw CAPTURED;
    },
  );
  probe.evaluate({}).catch(() => undefined);
  return found;
}

function budgetedBuiltins(): Record<string, JsonataFunction> {
  const hit = wrappers.get('all');
  if (hit) return hit;
  const originals = jsonataBuiltins();
  const out: Record<string, JsonataFunction> = {};
  for (const name of JSONATA_BUILTINS) {
    const original = originals[name];
    if (!original?._jsonata_function) {
      throw new Error(`JSONata has no builtin $${name}: update JSONATA_BUILTINS`);
    }
    out[name] = budgeted(name, original);
  }
  wrappers.set('all', out);
  return out;
}

/**
 * Whether the expression budget applies to this evaluation. On the fast path it is checked only
 * when a budget has tripped (the one case where the outcome differs), so runs that stay on it
 * inside the budget carry no marker. Outside a workflow (unit tests) and in queries, which are
 * never recorded, it applies.
 */
function budgetApplies(step: string): boolean {
  if (!inWorkflowContext() || step.startsWith('query:')) return true;
  return patched(PATCHES.expressionBudget);
}

/**
 * Whether the worst case of a regex that can backtrack polynomially is charged (budget.regex).
 * Asked only when that charge would trip the budget, so other runs carry no marker.
 */
function regexBudgetApplies(step: string): boolean {
  if (!inWorkflowContext() || step.startsWith('query:')) return true;
  return patched(PATCHES.regexBudget);
}

/**
 * Whether the one work budget (EXPRESSION_BUDGET.work, the same units on both paths) decides, or
 * the old per-path limits do. Asked only once the two meters disagree, so runs that stay inside
 * both carry no marker.
 */
function oneBudgetApplies(step: string): boolean {
  if (!inWorkflowContext() || step.startsWith('query:')) return true;
  return patched(PATCHES.oneWorkBudget);
}

/**
 * Evaluates one expression on the synchronous fast path, or throws UNSUPPORTED when it needs
 * JSONata's asynchronous evaluator. Other errors come out as ExpressionError failures; a budget
 * error never falls back to JSONata. `budget` is for tests that compare what the paths count.
 */
export function evaluateNow(
  text: string,
  root: ExpressionRoot,
  step: string,
  budget = fastBudget(() => oneBudgetApplies(step)),
): unknown {
  let expr: jsonata.Expression;
  try {
    expr = compile(text);
    refuseUnsafeRegex(expr, step);
  } catch (err) {
    throw expressionFailure(step, text, err);
  }
  try {
    const value = evaluateFast(expr, root, budget);
    checkValue(budget, value);
    return value;
  } catch (err) {
    if (err === UNSUPPORTED) throw err;
    if (!isBudgetExceeded(err) || budgetApplies(step)) throw expressionFailure(step, text, err);
  }
  // A run recorded before the budget: the limits it ran with.
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
  // The budget changes how many promise turns JSONata takes (an exit hook per node, checking
  // wrappers per builtin), which can reorder parallel branches' commands: the patch is checked
  // before every JSONata evaluation, so runs that use this path carry its marker.
  if (!budgetApplies(step)) {
    try {
      return normalize(await compile(text, true).evaluate(root));
    } catch (err) {
      throw expressionFailure(step, text, err);
    }
  }
  return evaluateOnJsonata(text, root, step);
}

/** The budget of one evaluation on JSONata's evaluator, with the old meter of that path. */
export function jsonataBudget(step: string): Budget {
  return new Budget(
    EXPRESSION_BUDGET.work,
    isJsonataFunction,
    {
      limit: EXPRESSION_BUDGET.jsonataWork,
      nodeUnits: JSONATA_NODE_UNITS,
      applies: () => oneBudgetApplies(step),
      sizesHandedOn: true,
    },
    () => regexBudgetApplies(step),
  );
}

/**
 * Evaluates one expression on JSONata's own (asynchronous) evaluator with the budget, whatever
 * the fast path could do: evaluateExpression's fallback, and how tests compare the two paths.
 */
export async function evaluateOnJsonata(
  text: string,
  root: ExpressionRoot,
  step: string,
  budget = jsonataBudget(step),
): Promise<unknown> {
  try {
    const builtins = budgetedBuiltins();
    const value = normalize(
      await compile(text).evaluate(root, { ...builtins, [BUDGET_BINDING]: budget }),
    );
    checkValue(budget, value);
    return value;
  } catch (err) {
    throw expressionFailure(step, text, err);
  }
}

/**
 * The value an expression hands back is stored as JSON (vars, activity input, output): its
 * JSON text must fit the memory budget too, or serializing it would make what the budget
 * refused (an array of 100 000 references to one long string is small until it is written out).
 */
function checkValue(budget: Budget, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  // A plain walk, and a large input handed on whole (`${ input }`) must not spend the budget of
  // the expression that reads it: a unit per CHARS_PER_UNIT values (half a unit a value on the
  // old meters).
  budget.string(
    budget.jsonLength(value, EXPRESSION_BUDGET.string, CHARS_PER_UNIT, 2),
    'its value, written as JSON,',
  );
}

/**
 * Checks the text a template interpolates its expressions into, before it is joined: each
 * value is inside the budget, but a template may repeat one. Errors name the step like an
 * expression's own.
 */
export function checkTemplateText(length: number, template: string, step: string): void {
  if (length <= EXPRESSION_BUDGET.string) return;
  const err = new BudgetExceeded(
    'WEFT04',
    `the template would build a string of ${length} characters; the expression memory budget allows ${EXPRESSION_BUDGET.string} per string`,
  );
  if (budgetApplies(step)) throw expressionFailure(step, template, err);
}

/** JSONata sequences are arrays with extra flags; vars and payloads want plain JSON. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'function') return undefined;
  return value;
}
