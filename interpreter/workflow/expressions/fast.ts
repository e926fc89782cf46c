import type jsonata from 'jsonata';
import { isJsonataFunction, truthy } from '../../model/truthiness';
import { Budget, chargeResult, EXPRESSION_BUDGET, NODE_UNITS, weight } from './budget';

/**
 * A synchronous JSONata evaluator that walks JSONata's own AST and follows the reference
 * evaluator's rules (sequences, singleton unwrapping, path flattening, casts) for the common
 * part of the language. Two reasons it exists:
 *
 * - Temporal calls queries, update validators and condition() functions synchronously, while
 *   JSONata 2 only evaluates asynchronously.
 * - Temporal's sandbox records a stack trace for every promise created in workflow code, and
 *   JSONata 2 creates several promises per AST node: a 1000-item `$map` took seconds there.
 *   Evaluating synchronously creates none.
 *
 * Anything it does not cover, or any case where JSONata would raise an error, throws
 * UNSUPPORTED: the caller then uses the real (async) JSONata, which gives the reference result
 * or the reference error. test/unit/workflow/fast-expressions.test.ts checks both agree.
 */

export const UNSUPPORTED: unique symbol = Symbol('unsupported');

/** Work limits for one evaluation; past them the evaluation fails for good (no fallback). */
export const FAST_LIMITS = { depth: 250, steps: 1_000_000, sequence: 100_000 } as const;

export class FastLimitError {
  readonly code = 'WEFT01';
  constructor(readonly message: string) {}
}

interface Node {
  type: string;
  value?: unknown;
  steps?: Node[];
  stages?: Node[];
  predicate?: Node[];
  expr?: Node;
  lhs?: Node | [Node, Node][];
  rhs?: Node;
  expression?: Node;
  expressions?: Node[];
  condition?: Node;
  then?: Node;
  else?: Node;
  procedure?: Node;
  arguments?: Node[];
  body?: Node;
  signature?: unknown;
  consarray?: boolean;
  keepArray?: boolean;
  keepSingletonArray?: boolean;
  focus?: unknown;
  index?: unknown;
  tuple?: unknown;
  group?: unknown;
  ancestor?: unknown;
  thunk?: boolean;
}

interface Closure {
  lambda: Node;
  scope: Scope;
  input: unknown;
}

class Scope {
  private readonly vars = new Map<string, unknown>();
  constructor(private readonly parent?: Scope) {}
  bind(name: string, value: unknown): void {
    this.vars.set(name, value);
  }
  has(name: string): boolean {
    return this.vars.has(name) || (this.parent?.has(name) ?? false);
  }
  lookup(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    return this.parent?.lookup(name);
  }
}

const fail = (): never => {
  throw UNSUPPORTED;
};

// Arrays JSONata treats as sequences (flattened, unwrapped when singleton) and arrays built by
// an array constructor (never flattened by a path step).
const sequences = new WeakSet<unknown[]>();
const constructed = new WeakSet<unknown[]>();
const closures = new WeakSet<object>();

function seq(items: unknown[] = []): unknown[] {
  sequences.add(items);
  return items;
}

const isSeq = (v: unknown): v is unknown[] => Array.isArray(v) && sequences.has(v);
const isClosure = (v: unknown): v is Closure =>
  typeof v === 'object' && v !== null && closures.has(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function unwrap(result: unknown): unknown {
  if (isSeq(result)) {
    if (result.length > FAST_LIMITS.sequence) fail();
    if (result.length === 0) return undefined;
    if (result.length === 1) return result[0];
  }
  return result;
}

/** JSONata's $boolean: the one truthiness rule, and undefined stays undefined. */
export function boolean(arg: unknown): boolean | undefined {
  return arg === undefined ? undefined : truthy(arg, isFunctionValue);
}

const isFunctionValue = (v: object): boolean => isClosure(v) || isJsonataFunction(v);

function string(arg: unknown): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (isClosure(arg)) return '';
  if (typeof arg === 'number' && !Number.isFinite(arg)) fail();
  return JSON.stringify(arg, (_k, v) => {
    if (isClosure(v)) return '';
    return typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(15)) : v;
  });
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

function lookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const out = seq();
    for (const item of input) {
      const v = lookup(item, key);
      if (v === undefined) continue;
      if (Array.isArray(v)) out.push(...v);
      else out.push(v);
    }
    return out;
  }
  if (input !== null && typeof input === 'object' && !isClosure(input)) {
    return Object.hasOwn(input, key) ? (input as Record<string, unknown>)[key] : undefined;
  }
  return undefined;
}

function append(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const left = Array.isArray(a) ? a : seq([a]);
  const right = Array.isArray(b) ? b : [b];
  return left.concat(right);
}

/** A tail call's result on its way back to apply(), kept as the callee returned it. */
class TailResult {
  constructor(readonly value: unknown[]) {}
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

class Evaluation {
  steps = 0;
  depth = 0;

  /** Without a budget: the limits before the expression budget (replay of older runs). */
  constructor(readonly budget?: Budget) {}

  evaluate(node: Node, input: unknown, scope: Scope, tailCall = false): unknown {
    if (this.budget) this.budget.charge(tailCall ? 0 : NODE_UNITS, this.budget.legacyNodeUnits);
    else if (++this.steps > FAST_LIMITS.steps) {
      throw new FastLimitError(
        `evaluation exceeded ${FAST_LIMITS.steps} steps (endless recursion?)`,
      );
    }
    if (++this.depth > FAST_LIMITS.depth) {
      // JSONata's evaluator runs tail calls in a loop, where this one nests them, and fails at
      // real depth with its own error (D1011): under the one budget's rules it decides.
      if (this.budget?.oneRules()) fail();
      throw new FastLimitError(
        `evaluation nested deeper than ${FAST_LIMITS.depth} (endless recursion?)`,
      );
    }
    try {
      let result = this.node(node, input, scope);
      if (result instanceof TailResult && node.predicate) fail();
      for (const p of node.type === 'path' ? [] : (node.predicate ?? [])) {
        if (p.type !== 'filter' || !p.expr) fail();
        result = this.filter(p.expr as Node, result, scope);
      }
      const budget = this.budget;
      if (budget) {
        // JSONata's exit hook, on the one meter (the old one counted the sites below instead).
        budget.on('one', () => chargeResult(budget, node, result, isSeq));
        if (isSeq(result)) budget.items(result.length, 'a sequence');
      }
      // JSONata's trampoline hands a tail call's result back as the callee returned it, where
      // the node would unwrap an empty or singleton sequence: a $map over the lambda sees it. It
      // travels up to apply() boxed, past the unwrapping of the nodes around the tail call.
      if (tailCall && isSeq(result) && result.length <= 1 && budget?.oneRules()) {
        return new TailResult(result);
      }
      return unwrap(result);
    } finally {
      this.depth--;
    }
  }

  private node(node: Node, input: unknown, scope: Scope): unknown {
    if (!FAST_COVERAGE.nodes.includes(node.type)) return fail();
    switch (node.type) {
      case 'string':
      case 'number':
      case 'value':
        return node.value;
      case 'name':
        return lookup(input, String(node.value));
      case 'variable':
        if (node.value === '') return input;
        if (node.value === '$') return scope.lookup('$');
        if (!scope.has(String(node.value))) fail();
        return scope.lookup(String(node.value));
      case 'path':
        return this.path(node, input, scope);
      case 'binary':
        return this.binary(node, input, scope);
      case 'unary':
        return this.unary(node, input, scope);
      case 'condition': {
        const test = this.evaluate(node.condition as Node, input, scope);
        if (boolean(test)) return this.evaluate(node.then as Node, input, scope);
        return node.else ? this.evaluate(node.else, input, scope) : undefined;
      }
      case 'block': {
        const inner = new Scope(scope);
        let last: unknown;
        for (const e of node.expressions ?? []) last = this.evaluate(e, input, inner);
        return last;
      }
      case 'bind': {
        const value = this.evaluate(node.rhs as Node, input, scope);
        scope.bind(String((node.lhs as Node).value), value);
        return value;
      }
      case 'lambda': {
        // JSONata wraps tail calls in thunks to trampoline them; here they simply run (past
        // the depth limit JSONata's evaluator takes over, see evaluate()).
        // JSONata's trampoline evaluates the tail call's procedure and arguments, not the call
        // node itself: the one meter does not count it.
        if (node.thunk) return this.evaluate(node.body as Node, input, scope, true);
        if (node.signature !== undefined) fail();
        const closure: Closure = { lambda: node, scope, input };
        closures.add(closure);
        return closure;
      }
      case 'function':
        return this.call(node, input, scope);
      default:
        return fail();
    }
  }

  private path(node: Node, input: unknown, scope: Scope): unknown {
    const steps = node.steps ?? [];
    if (node.keepSingletonArray || node.group !== undefined) fail();
    let current: unknown[] =
      Array.isArray(input) && steps[0]?.type !== 'variable' ? input : seq([input]);
    let result: unknown[] | undefined;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as Node;
      if (step.tuple || step.focus !== undefined || step.index !== undefined || step.ancestor)
        fail();
      if (i === 0 && step.consarray) {
        const v = this.evaluate(step, current, scope);
        result = Array.isArray(v) ? v : v === undefined ? undefined : seq([v]);
      } else result = this.step(step, current, scope, i === steps.length - 1);
      if (result === undefined || result.length === 0) break;
      current = result;
    }
    return result;
  }

  private step(node: Node, input: unknown[], scope: Scope, last: boolean): unknown[] {
    if (node.type === 'sort') fail();
    const results: unknown[] = [];
    for (const item of input) {
      let res = this.evaluate(node, item, scope);
      for (const stage of node.stages ?? []) {
        if (stage.type !== 'filter' || !stage.expr) fail();
        res = this.filter(stage.expr as Node, res, scope);
      }
      if (res !== undefined) results.push(res);
    }
    const only = results[0];
    if (last && results.length === 1 && Array.isArray(only) && !isSeq(only)) return only;
    const out = seq();
    for (const res of results) {
      if (!Array.isArray(res) || constructed.has(res)) out.push(res);
      else {
        this.budget?.items(out.length + res.length, 'a path');
        out.push(...res);
      }
    }
    this.budget?.charge(0, out.length);
    return out;
  }

  private filter(predicate: Node, input: unknown, scope: Scope): unknown[] {
    const items = Array.isArray(input) ? input : seq(input === undefined ? [] : [input]);
    const out = seq();
    if (predicate.type === 'number') {
      let index = Math.floor(predicate.value as number);
      if (index < 0) index += items.length;
      const item = items[index];
      if (item !== undefined) {
        if (Array.isArray(item)) return item;
        out.push(item);
      }
      return out;
    }
    items.forEach((item, index) => {
      const res = this.evaluate(predicate, item, scope);
      const indexes = isNumber(res)
        ? [res]
        : Array.isArray(res) && res.length > 0 && res.every(isNumber)
          ? res
          : undefined;
      if (indexes) {
        for (const n of indexes as number[]) {
          let i = Math.floor(n);
          if (i < 0) i += items.length;
          if (i === index) out.push(item);
        }
      } else if (boolean(res)) out.push(item);
    });
    return out;
  }

  private binary(node: Node, input: unknown, scope: Scope): unknown {
    const op = String(node.value);
    if (!FAST_COVERAGE.binary.includes(op)) return fail();
    const lhs = this.evaluate(node.lhs as Node, input, scope);
    if (op === 'and' || op === 'or') {
      const l = boolean(lhs) ?? false;
      if (op === 'and' && !l) return false;
      if (op === 'or' && l) return true;
      return boolean(this.evaluate(node.rhs as Node, input, scope)) ?? false;
    }
    const rhs = this.evaluate(node.rhs as Node, input, scope);
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        if (lhs === undefined || rhs === undefined) return undefined;
        if (!isNumber(lhs) || !isNumber(rhs)) return fail();
        const r =
          op === '+'
            ? lhs + rhs
            : op === '-'
              ? lhs - rhs
              : op === '*'
                ? lhs * rhs
                : op === '/'
                  ? lhs / rhs
                  : lhs % rhs;
        return Number.isFinite(r) ? r : fail();
      }
      case '=':
      case '!=':
        if (lhs === undefined || rhs === undefined) return false;
        // Deep equality walks both sides.
        if (this.budget && lhs !== rhs) {
          const budget = this.budget;
          budget.on('legacy', () => budget.walk(lhs));
        }
        return op === '=' ? deepEqual(lhs, rhs) : !deepEqual(lhs, rhs);
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const comparable = (v: unknown) => v === undefined || typeof v === 'string' || isNumber(v);
        if (!comparable(lhs) || !comparable(rhs)) return fail();
        // JSONata's answer is undefined; runs before the one budget's rules got false.
        if (lhs === undefined || rhs === undefined) {
          return this.budget?.oneRules() ? undefined : false;
        }
        if (typeof lhs !== typeof rhs) return fail();
        const l = lhs as number;
        const r = rhs as number;
        return op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
      }
      case '&': {
        const budget = this.budget;
        if (!budget) return (string(lhs) ?? '') + (string(rhs) ?? '');
        budget.on('legacy', () => {
          for (const v of [lhs, rhs]) {
            if (typeof v !== 'string' && v !== undefined) {
              budget.string(budget.jsonLength(v, EXPRESSION_BUDGET.string), 'the & operator');
            }
          }
        });
        const l = string(lhs) ?? '';
        const r = string(rhs) ?? '';
        budget.concat(l, r);
        const joined = l + r;
        budget.on('legacy', () => budget.built(joined, 'the & operator'));
        return joined;
      }
      case 'in':
        if (lhs === undefined || rhs === undefined) return false;
        this.budget?.charge(0, weight(rhs));
        return asArray(rhs).some((v) => v === lhs);
      case '..': {
        if (lhs === undefined || rhs === undefined) return undefined;
        if (!Number.isInteger(lhs) || !Number.isInteger(rhs)) return fail();
        const from = lhs as number;
        const to = rhs as number;
        if (from > to) return undefined;
        const budget = this.budget;
        // Past JSONata's sequence length its evaluator raises its own error (D2015, or D2014),
        // before allocating: under the one budget's rules it decides.
        if (budget && to - from + 1 > FAST_LIMITS.sequence && budget.oneRules()) fail();
        if (budget) budget.on('legacy', () => budget.range(from, to));
        else if (to - from + 1 > FAST_LIMITS.sequence) return fail();
        const out = seq();
        for (let i = from; i <= to; i++) out.push(i);
        return out;
      }
      default:
        return fail();
    }
  }

  private unary(node: Node, input: unknown, scope: Scope): unknown {
    if (!FAST_COVERAGE.unary.includes(String(node.value))) return fail();
    if (node.value === '-') {
      const v = this.evaluate(node.expression as Node, input, scope);
      if (v === undefined) return undefined;
      return isNumber(v) ? -v : fail();
    }
    if (node.value === '[') {
      if (node.keepArray) fail();
      let result: unknown[] = [];
      for (const item of node.expressions ?? []) {
        const v = this.evaluate(item, input, scope);
        if (v === undefined) continue;
        if (item.type === 'unary' && item.value === '[') result.push(v);
        else {
          // JSONata's append raises its own error (D2015) past its sequence length.
          const size = result.length + (Array.isArray(v) ? v.length : 1);
          if (size > FAST_LIMITS.sequence && this.budget?.oneRules()) fail();
          result = append(result, v) as unknown[];
        }
      }
      if (node.consarray) constructed.add(result);
      const budget = this.budget;
      budget?.on('legacy', () => budget.built(result, 'an array constructor'));
      return result;
    }
    if (node.value === '{') {
      if (Array.isArray(input)) fail();
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const [k, v] of (node.lhs ?? []) as [Node, Node][]) {
        const key = this.evaluate(k, input, scope);
        if (key === undefined) continue;
        if (typeof key !== 'string' || seen.has(key)) fail();
        seen.add(key as string);
        const value = this.evaluate(v, input, scope);
        if (value !== undefined) out[key as string] = value;
      }
      const budget = this.budget;
      budget?.on('legacy', () => budget.built(out, 'an object constructor'));
      return out;
    }
    return fail();
  }

  private call(node: Node, input: unknown, scope: Scope): unknown {
    const proc = node.procedure;
    if (node.value !== '(' || proc?.type !== 'variable') return fail();
    const name = String(proc.value);
    // JSONata evaluates the procedure (a variable) as a node of its own.
    this.budget?.charge(NODE_UNITS, 0);
    const args = (node.arguments ?? []).map((a) => this.evaluate(a, input, scope));
    if (scope.has(name)) {
      const fn = scope.lookup(name);
      return isClosure(fn) ? this.apply(fn, args) : fail();
    }
    const builtin = BUILTINS[name];
    if (!builtin) return fail();
    const budget = this.budget;
    if (!budget) return builtin(args, this);
    budget.before(name, args);
    // JSONata's signature wraps a lone value where an array is due (`a` first): the one meter
    // charges the item of the array JSONata's builtin gets, less what the value weighed.
    if (ARRAY_FIRST.includes(name) && args[0] !== undefined && !Array.isArray(args[0])) {
      budget.on('one', () => budget.charge(1 - weight(args[0])));
    }
    const result = builtin(args, this);
    budget.after(name, args, result);
    return result;
  }

  apply(fn: unknown, args: unknown[]): unknown {
    if (!isClosure(fn)) return fail();
    const params = fn.lambda.arguments ?? [];
    // A call makes a scope and binds its parameters: dearer than a node.
    this.budget?.charge(0, 30);
    const inner = new Scope(fn.scope);
    params.forEach((p, i) => {
      inner.bind(String(p.value), args[i]);
    });
    const result = this.evaluate(fn.lambda.body as Node, fn.input, inner);
    return result instanceof TailResult ? result.value : result;
  }

  arity(fn: unknown): number {
    return isClosure(fn) ? (fn.lambda.arguments?.length ?? 0) : fail();
  }
}

type Builtin = (args: unknown[], ev: Evaluation) => unknown;

/** Builtins whose JSONata signature takes an array first (`<a…>`). */
const ARRAY_FIRST: readonly string[] = Object.freeze([
  'count', 'sum', 'max', 'min', 'average', 'join', 'map', 'filter', 'reduce', 'reverse', 'merge',
]); // biome-ignore format: one list

const str = (v: unknown): string => (typeof v === 'string' ? v : fail());
const numbers = (v: unknown): number[] => {
  const arr = asArray(v);
  return arr.every(isNumber) ? (arr as number[]) : fail();
};
const arity = (args: unknown[], min: number, max = min) =>
  args.length < min || args.length > max ? fail() : undefined;

/** A built-in that takes exactly `n` arguments (JSONata's context defaulting is not copied). */
const checked =
  (n: number, fn: Builtin): Builtin =>
  (args, ev) => {
    arity(args, n);
    return fn(args, ev);
  };

function hof(args: unknown[], ev: Evaluation, keep: (res: unknown, item: unknown) => unknown) {
  arity(args, 2);
  const [arr, fn] = args;
  if (arr === undefined) return undefined;
  const items = asArray(arr);
  const n = ev.arity(fn);
  const out = seq();
  items.forEach((item, i) => {
    const res = ev.apply(fn, [item, i, items].slice(0, Math.max(n, 1)));
    const kept = keep(res, item);
    if (kept !== undefined) out.push(kept);
  });
  return out;
}

const BUILTINS: Readonly<Record<string, Builtin>> = Object.freeze({
  count: checked(1, (a) => (a[0] === undefined ? 0 : asArray(a[0]).length)),
  sum: checked(1, (a) =>
    a[0] === undefined ? undefined : numbers(a[0]).reduce((x, y) => x + y, 0),
  ),
  max: (a) => {
    arity(a, 1);
    if (a[0] === undefined) return undefined;
    const n = numbers(a[0]);
    return n.length === 0 ? undefined : Math.max(...n);
  },
  min: (a) => {
    arity(a, 1);
    if (a[0] === undefined) return undefined;
    const n = numbers(a[0]);
    return n.length === 0 ? undefined : Math.min(...n);
  },
  average: (a) => {
    arity(a, 1);
    if (a[0] === undefined) return undefined;
    const n = numbers(a[0]);
    return n.length === 0 ? undefined : n.reduce((x, y) => x + y, 0) / n.length;
  },
  exists: checked(1, (a) => a[0] !== undefined),
  boolean: checked(1, (a) => boolean(a[0])),
  not: checked(1, (a) => (a[0] === undefined ? undefined : !boolean(a[0]))),
  string: checked(1, (a) => string(a[0])),
  number: (a) => {
    arity(a, 1);
    const v = a[0];
    if (v === undefined) return undefined;
    if (isNumber(v)) return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'string' && /^-?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/.test(v))
      return Number(v);
    return fail();
  },
  length: checked(1, (a) => (a[0] === undefined ? undefined : Array.from(str(a[0])).length)),
  uppercase: checked(1, (a) => (a[0] === undefined ? undefined : str(a[0]).toUpperCase())),
  lowercase: checked(1, (a) => (a[0] === undefined ? undefined : str(a[0]).toLowerCase())),
  trim: (a) => {
    arity(a, 1);
    if (a[0] === undefined) return undefined;
    let r = str(a[0]).replace(/[ \t\n\r]+/gm, ' ');
    if (r.charAt(0) === ' ') r = r.substring(1);
    if (r.charAt(r.length - 1) === ' ') r = r.substring(0, r.length - 1);
    return r;
  },
  substring: (a) => {
    arity(a, 2, 3);
    if (a[0] === undefined) return undefined;
    const chars = Array.from(str(a[0]));
    const start = isNumber(a[1]) ? a[1] : fail();
    if (a[2] !== undefined && !isNumber(a[2])) fail();
    if (!Number.isInteger(start) || (a[2] !== undefined && !Number.isInteger(a[2]))) fail();
    const from = start < 0 ? Math.max(0, chars.length + start) : start;
    const len = a[2] === undefined ? chars.length : Math.max(0, a[2] as number);
    return chars.slice(from, from + len).join('');
  },
  contains: checked(2, (a) => (a[0] === undefined ? undefined : str(a[0]).includes(str(a[1])))),
  join: (a) => {
    arity(a, 1, 2);
    if (a[0] === undefined) return undefined;
    const parts = asArray(a[0]);
    if (!parts.every((p) => typeof p === 'string')) fail();
    return parts.join(a[1] === undefined ? '' : str(a[1]));
  },
  split: (a, ev) => {
    arity(a, 2);
    if (a[0] === undefined) return undefined;
    // One past the item budget is enough to know it is over: never split the whole string.
    if (ev.budget) return str(a[0]).split(str(a[1]), EXPRESSION_BUDGET.items + 1);
    return str(a[0]).split(str(a[1]));
  },
  append: checked(2, (a) => append(a[0], a[1])),
  keys: (a) => {
    arity(a, 1);
    const v = a[0];
    const out = seq();
    const seen = new Set<string>();
    for (const item of asArray(v)) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item) && !isClosure(item)) {
        for (const k of Object.keys(item)) {
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(k);
        }
      } else if (item !== undefined && Array.isArray(v)) fail();
    }
    return out;
  },
  lookup: checked(2, (a) => lookup(a[0], str(a[1]))),
  merge: (a) => {
    arity(a, 1);
    if (a[0] === undefined) return undefined;
    const out: Record<string, unknown> = {};
    for (const o of asArray(a[0])) {
      if (o === null || typeof o !== 'object' || Array.isArray(o)) fail();
      Object.assign(out, o);
    }
    return out;
  },
  reverse: checked(1, (a) => (a[0] === undefined ? undefined : [...asArray(a[0])].reverse())),
  abs: checked(1, (a) =>
    a[0] === undefined ? undefined : Math.abs(isNumber(a[0]) ? a[0] : fail()),
  ),
  floor: checked(1, (a) =>
    a[0] === undefined ? undefined : Math.floor(isNumber(a[0]) ? a[0] : fail()),
  ),
  ceil: checked(1, (a) =>
    a[0] === undefined ? undefined : Math.ceil(isNumber(a[0]) ? a[0] : fail()),
  ),
  type: (a) => {
    arity(a, 1);
    const v = a[0];
    if (v === undefined) return undefined;
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'array';
    if (isClosure(v)) return 'function';
    return typeof v === 'object' ? 'object' : typeof v;
  },
  map: (a, ev) => hof(a, ev, (res) => res),
  filter: (a, ev) => hof(a, ev, (res, item) => (boolean(res) ? item : undefined)),
  reduce: (a, ev) => {
    arity(a, 2, 3);
    const [arr, fn, init] = a;
    if (arr === undefined) return undefined;
    const n = ev.arity(fn);
    if (n < 2) fail();
    const items = asArray(arr);
    let index = 0;
    let acc = init;
    if (init === undefined && items.length > 0) {
      acc = items[0];
      index = 1;
    }
    for (; index < items.length; index++) {
      acc = ev.apply(fn, [acc, items[index], index, items].slice(0, n));
    }
    return acc;
  },
});

/**
 * What the fast path evaluates; everything else goes to JSONata's evaluator. The evaluator
 * refuses what is not listed, so this list is its coverage. Which path runs decides the work
 * budget and the promise turns (the order parallel branches issue commands in), so a change of
 * coverage changes how recorded runs replay: it must come with a patch id in ../patches.ts.
 * test/unit/workflow/fast-coverage.test.ts pins its fingerprint to the patch list.
 */
export const FAST_COVERAGE = Object.freeze({
  nodes: Object.freeze([
    'string', 'number', 'value', 'name', 'variable', 'path', 'binary', 'unary', 'condition',
    'block', 'bind', 'lambda', 'function',
  ]) as readonly string[],
  binary: Object.freeze([
    'and', 'or', '+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', '&', 'in', '..',
  ]) as readonly string[],
  unary: Object.freeze(['-', '[', '{']) as readonly string[],
  builtins: Object.freeze(Object.keys(BUILTINS).sort()) as readonly string[],
}); // biome-ignore format: lists

/**
 * A budget for one fast evaluation: its closures are opaque to the size walks. With `applies`
 * (the patch question), the old meter of this path counts beside the one meter until they
 * disagree; without it the one meter alone counts.
 */
export function fastBudget(applies?: () => boolean): Budget {
  return new Budget(
    EXPRESSION_BUDGET.work,
    isFunctionValue,
    applies && { limit: EXPRESSION_BUDGET.fastWork, nodeUnits: 1, applies },
  );
}

/**
 * Evaluates a parsed expression synchronously; throws UNSUPPORTED, a FastLimitError or (with a
 * budget) a BudgetExceeded. Without a budget it applies the limits older runs were recorded with.
 */
export function evaluateFast(expr: jsonata.Expression, root: unknown, budget?: Budget): unknown {
  const scope = new Scope();
  scope.bind('$', root);
  const result = new Evaluation(budget).evaluate(expr.ast() as unknown as Node, root, scope);
  return plain(result);
}

/** Copies sequences out as plain arrays; a function left in the result is JSONata's business. */
function plain(value: unknown): unknown {
  if (isClosure(value)) return fail();
  if (Array.isArray(value)) return value.map(plain);
  return value;
}
