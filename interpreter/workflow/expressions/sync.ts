import { expressionFailure } from './errors';
import { compile } from './evaluate';
import type { ExpressionRoot } from './root';
import { hasExpression, parseTemplate } from './segments';

/**
 * A synchronous evaluator for the subset of JSONata that queries, update validators and wait
 * conditions need. Temporal calls those handlers synchronously (a query must answer at once, a
 * validator must decide before anything is written, condition() polls a plain function), while
 * JSONata 2 only evaluates asynchronously. It walks JSONata's own AST, so the syntax is the
 * same: paths with filters, literals, arithmetic, comparison, boolean and string operators,
 * conditionals, array and object constructors, and the pure functions in FUNCTIONS.
 */

interface Node {
  type: string;
  value?: unknown;
  steps?: Node[];
  stages?: Node[];
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
  predicate?: Node[];
}

class Unsupported {
  readonly code = 'WEFT03';
  constructor(readonly message: string) {}
}

function unsupported(what: string): never {
  throw new Unsupported(
    `${what} is not supported here: queries, update validators and wait conditions are evaluated synchronously and allow paths, operators, constructors and simple functions`,
  );
}

type Fn = (...args: unknown[]) => unknown;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const arr = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const FUNCTIONS: Record<string, Fn> = {
  count: (v) => arr(v).length,
  length: (v) => String(v ?? '').length,
  exists: (v) => v !== undefined,
  not: (v) => !truthy(v),
  boolean: (v) => truthy(v),
  string: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
  number: (v) => num(v),
  sum: (v) => arr(v).reduce<number>((a, b) => a + num(b), 0),
  max: (v) => (arr(v).length ? Math.max(...arr(v).map(num)) : undefined),
  min: (v) => (arr(v).length ? Math.min(...arr(v).map(num)) : undefined),
  average: (v) =>
    arr(v).length ? arr(v).reduce<number>((a, b) => a + num(b), 0) / arr(v).length : undefined,
  keys: (v) => (v && typeof v === 'object' ? Object.keys(v) : []),
  lowercase: (v) => String(v ?? '').toLowerCase(),
  uppercase: (v) => String(v ?? '').toUpperCase(),
  trim: (v) => String(v ?? '').trim(),
  contains: (s, t) => String(s ?? '').includes(String(t)),
  join: (v, sep) =>
    arr(v)
      .map(String)
      .join(sep === undefined ? '' : String(sep)),
  append: (a, b) => [...arr(a), ...arr(b)],
  abs: (v) => Math.abs(num(v)),
  floor: (v) => Math.floor(num(v)),
  ceil: (v) => Math.ceil(num(v)),
  round: (v) => Math.round(num(v)),
  type: (v) =>
    v === null
      ? 'null'
      : Array.isArray(v)
        ? 'array'
        : typeof v === 'undefined'
          ? undefined
          : typeof v,
};

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(truthy);
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

function lookup(value: unknown, name: string): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const v = lookup(item, name);
      if (Array.isArray(v)) out.push(...v);
      else if (v !== undefined) out.push(v);
    }
    return out.length === 0 ? undefined : out.length === 1 ? out[0] : out;
  }
  if (value !== null && typeof value === 'object') return (value as Record<string, unknown>)[name];
  return undefined;
}

function filter(value: unknown, predicate: Node, root: unknown): unknown {
  const items = arr(value);
  const out: unknown[] = [];
  items.forEach((item, index) => {
    const test = evaluateNode(predicate, item, root);
    if (typeof test === 'number') {
      const at = test < 0 ? items.length + Math.floor(test) : Math.floor(test);
      if (at === index) out.push(item);
    } else if (truthy(test)) out.push(item);
  });
  return out.length === 0 ? undefined : out.length === 1 ? out[0] : out;
}

function applyStages(value: unknown, node: Node, root: unknown): unknown {
  let out = value;
  for (const stage of [...(node.stages ?? []), ...(node.predicate ?? [])]) {
    if (stage.type !== 'filter' || !stage.expr) unsupported(`the path stage '${stage.type}'`);
    out = filter(out, stage.expr, root);
  }
  return out;
}

function compare(op: string, l: unknown, r: unknown): boolean {
  switch (op) {
    case '=':
      return JSON.stringify(l) === JSON.stringify(r) && l !== undefined;
    case '!=':
      return l !== undefined && r !== undefined && JSON.stringify(l) !== JSON.stringify(r);
    case '<':
      return (l as number) < (r as number);
    case '<=':
      return (l as number) <= (r as number);
    case '>':
      return (l as number) > (r as number);
    default:
      return (l as number) >= (r as number);
  }
}

function binary(node: Node, context: unknown, root: unknown): unknown {
  const op = String(node.value);
  const left = () => evaluateNode(node.lhs as Node, context, root);
  const right = () => evaluateNode(node.rhs as Node, context, root);
  if (op === 'and') return truthy(left()) && truthy(right());
  if (op === 'or') return truthy(left()) || truthy(right());
  const l = left();
  const r = right();
  switch (op) {
    case '+':
      return num(l) + num(r);
    case '-':
      return num(l) - num(r);
    case '*':
      return num(l) * num(r);
    case '/':
      return num(l) / num(r);
    case '%':
      return num(l) % num(r);
    case '&':
      return `${l === undefined ? '' : typeof l === 'string' ? l : JSON.stringify(l)}${r === undefined ? '' : typeof r === 'string' ? r : JSON.stringify(r)}`;
    case 'in':
      return arr(r).some((x) => JSON.stringify(x) === JSON.stringify(l));
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(op, l, r);
    default:
      return unsupported(`the operator '${op}'`);
  }
}

function evaluateNode(node: Node, context: unknown, root: unknown): unknown {
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value':
      return node.value;
    case 'name':
      return applyStages(lookup(context, String(node.value)), node, root);
    case 'variable':
      if (node.value === '') return applyStages(context, node, root);
      if (node.value === '$') return applyStages(root, node, root);
      return unsupported(`the variable $${String(node.value)}`);
    case 'path': {
      let current = context;
      for (const step of node.steps ?? []) {
        if (current === undefined) return undefined;
        current =
          step.type === 'name'
            ? applyStages(lookup(current, String(step.value)), step, root)
            : evaluateNode(step, current, root);
      }
      return current;
    }
    case 'binary':
      return binary(node, context, root);
    case 'unary': {
      if (node.value === '-') return -num(evaluateNode(node.expression as Node, context, root));
      if (node.value === '[') {
        const out: unknown[] = [];
        for (const item of node.expressions ?? []) {
          const v = evaluateNode(item, context, root);
          if (Array.isArray(v) && item.type !== 'unary') out.push(...v);
          else if (v !== undefined) out.push(v);
        }
        return out;
      }
      if (node.value === '{') {
        const out: Record<string, unknown> = {};
        for (const [k, v] of (node.lhs ?? []) as [Node, Node][]) {
          const value = evaluateNode(v, context, root);
          if (value !== undefined) out[String(evaluateNode(k, context, root))] = value;
        }
        return out;
      }
      return unsupported(`the operator '${String(node.value)}'`);
    }
    case 'condition':
      return truthy(evaluateNode(node.condition as Node, context, root))
        ? evaluateNode(node.then as Node, context, root)
        : node.else
          ? evaluateNode(node.else, context, root)
          : undefined;
    case 'block': {
      let last: unknown;
      for (const e of node.expressions ?? []) last = evaluateNode(e, context, root);
      return last;
    }
    case 'function': {
      const name = node.procedure?.type === 'variable' ? String(node.procedure.value) : '';
      const fn = FUNCTIONS[name];
      if (!fn) return unsupported(`the function $${name}()`);
      return fn(...(node.arguments ?? []).map((a) => evaluateNode(a, context, root)));
    }
    default:
      return unsupported(`the '${node.type}' expression`);
  }
}

/** Evaluates one expression synchronously; throws an ExpressionError FlowFailure naming the step. */
export function evaluateSync(text: string, root: ExpressionRoot, step: string): unknown {
  try {
    return evaluateNode(compile(text).ast() as unknown as Node, root, root);
  } catch (err) {
    throw expressionFailure(step, text, err);
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

export { truthy as truthySync };

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
