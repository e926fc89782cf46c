import jsonata from 'jsonata';
import {
  type Diagnostic,
  parseDuration,
  type SourceMap,
  scanTemplate,
  sortDiagnostics,
} from '../dsl';

/**
 * A Weft flow as a Serverless Workflow 1.0 document: the inverse of `convert.ts` for the
 * constructs both languages have. Weft's data model maps onto OWS's as `input` → `$workflow.input`
 * and `vars` → `$context` (written by `export.as`), so each expression is translated from JSONata
 * to the jq subset the importer reads. What OWS cannot say is refused (WEFT085, WEFT086), never
 * dropped; what survives with a different meaning or form is a named difference (README table).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** The differences a round trip can show, each documented in interpreter/ows/README.md. */
export type OwsDifference =
  | 'data-model'
  | 'step-ids'
  | 'defaults'
  | 'timeouts'
  | 'retry'
  | 'task-queue'
  | 'concurrency'
  | 'log-as-emit'
  | 'names'
  | 'truthiness'
  | 'signals'
  | 'error-types';

export interface OwsExport {
  document?: Obj;
  diagnostics: Diagnostic[];
  differences: OwsDifference[];
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TIMEOUT_TYPE = 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout';

class Refused extends Error {
  constructor(
    message: string,
    readonly offset = 0,
  ) {
    super(message);
  }
}

type Ast = {
  type: string;
  value?: unknown;
  position?: number;
  steps?: Ast[];
  stages?: Ast[];
  expr?: Ast;
  expression?: Ast;
  lhs?: Ast | [Ast, Ast][];
  rhs?: Ast;
  condition?: Ast;
  then?: Ast;
  else?: Ast;
  expressions?: Ast[];
  arguments?: Ast[];
  procedure?: Ast;
};

/** One JSONata expression to jq; `locals` are the names a step binds (`as:`, `payload`). */
export function jsonataToJq(
  src: string,
  locals: ReadonlySet<string>,
  seen: Set<OwsDifference> = new Set(),
): string {
  let ast: Ast;
  try {
    ast = jsonata(src).ast() as Ast;
  } catch (err) {
    const e = err as { message: string; position?: number };
    throw new Refused(e.message, e.position ?? 0);
  }
  return jq(ast, locals, seen);
}

const BIN: Record<string, string> = {
  '=': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '+': '+',
  '-': '-',
  '*': '*',
  '/': '/',
  '%': '%',
  and: 'and',
  or: 'or',
};

function jq(n: Ast, locals: ReadonlySet<string>, seen: Set<OwsDifference>): string {
  const at = n.position ?? 0;
  const sub = (m: Ast) => jq(m, locals, seen);
  switch (n.type) {
    case 'string':
      return JSON.stringify(n.value);
    case 'number':
    case 'value':
      return JSON.stringify(n.value);
    case 'block':
      if (n.expressions?.length === 1 && n.expressions[0]) return `(${sub(n.expressions[0])})`;
      throw new Refused('a block of several expressions has no jq form', at);
    case 'path':
    case 'name':
      return path(n.type === 'name' ? [n] : (n.steps ?? []), locals);
    case 'binary': {
      const op = String(n.value);
      if (!n.rhs || !n.lhs || Array.isArray(n.lhs)) break;
      if (op === '&') return `((${sub(n.lhs)} | tostring) + (${sub(n.rhs)} | tostring))`;
      // JSONata's false values include 0 and ""; jq's are only false and null.
      if (op === 'and' || op === 'or') seen.add('truthiness');
      const o = BIN[op];
      if (o) return `(${sub(n.lhs)} ${o} ${sub(n.rhs)})`;
      throw new Refused(`the operator "${op}" has no jq form in the importer's subset`, at);
    }
    case 'condition':
      if (!n.condition || !n.then) break;
      seen.add('truthiness');
      return `(if ${sub(n.condition)} then ${sub(n.then)} else ${n.else ? sub(n.else) : 'null'} end)`;
    case 'unary':
      if (n.value === '-' && n.expression) return `(0 - ${sub(n.expression)})`;
      if (n.value === '[') return `[${(n.expressions ?? []).map(sub).join(', ')}]`;
      if (n.value === '{' && Array.isArray(n.lhs)) {
        return `{${n.lhs
          .map(
            ([k, v]) =>
              `${k.type === 'string' ? JSON.stringify(k.value) : `(${sub(k)})`}: ${sub(v)}`,
          )
          .join(', ')}}`;
      }
      break;
    case 'function': {
      const name = String(n.procedure?.value);
      const args = n.arguments ?? [];
      const [a, b] = args;
      const one = args.length === 1 && a !== undefined;
      if ((name === 'count' || name === 'length') && one) return `(${sub(a)} | length)`;
      if (name === 'exists' && one) return `(${sub(a)} != null)`;
      if (name === 'string' && one) return `(${sub(a)} | tostring)`;
      if (name === 'not' && one) seen.add('truthiness');
      if (name === 'not' && one) return `(${sub(a)} | not)`;
      if (name === 'sum' && one) return `(${sub(a)} | add)`;
      if (name === 'join' && a && b && args.length === 2) return `(${sub(a)} | join(${sub(b)}))`;
      // jq's `+` concatenates arrays only: $append of a non-array value has no safe form.
      if (name === 'append' && a && b && b.type === 'unary' && b.value === '[')
        return `(${sub(a)} + ${sub(b)})`;
      throw new Refused(`the function $${name} (with these arguments) has no jq form here`, at);
    }
  }
  throw new Refused(
    `this JSONata construct (${n.type} ${String(n.value ?? '')}) has no jq form`,
    at,
  );
}

function path(steps: Ast[], locals: ReadonlySet<string>): string {
  const [head, ...rest] = steps;
  if (head?.type !== 'name')
    throw new Refused('a path must start with a name', head?.position ?? 0);
  const root = String(head.value);
  let out: string;
  if (root === 'input') out = '$workflow.input';
  else if (root === 'vars') out = '$context';
  else if (locals.has(root)) out = `$${root}`;
  else
    throw new Refused(
      `"${root}" has no OWS counterpart (input, vars and bound names do)`,
      head.position ?? 0,
    );
  const all = [head, ...rest];
  all.forEach((s, i) => {
    if (i > 0) {
      if (s.type !== 'name')
        throw new Refused(`a ${s.type} in a path has no jq form`, s.position ?? 0);
      const f = String(s.value);
      out += FIELD.test(f) ? `.${f}` : `[${JSON.stringify(f)}]`;
    }
    for (const stage of s.stages ?? []) {
      if (stage.type === 'filter' && stage.expr?.type === 'number')
        out += `[${String(stage.expr.value)}]`;
      else throw new Refused('only a literal index filters a path in jq here', stage.position ?? 0);
    }
  });
  return out;
}

// ---- the document ----------------------------------------------------------------------------------

type Path = (string | number)[];
const ptr = (p: Path) =>
  p.length === 0
    ? ''
    : `/${p.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

const STEP_KEYS_DROPPED: Record<string, OwsDifference> = {
  timeouts: 'timeouts',
  retry: 'retry',
  taskQueue: 'task-queue',
  concurrency: 'concurrency',
};

const EXPORTED_KINDS = new Set(
  'activity set log sleep fail wait forEach parallel if switch try'.split(' '),
);

const EXPORTED_KEYS = new Set([
  ...Object.keys(STEP_KEYS_DROPPED),
  ...['id', 'name', 'when', 'result', 'activity', 'input', 'set', 'log', 'sleep', 'fail', 'wait'],
  ...['forEach', 'as', 'steps', 'parallel', 'if', 'then', 'else', 'switch', 'cases', 'default'],
  ...['try', 'catch', 'finally'],
]);

class Exporter {
  readonly diagnostics: Diagnostic[] = [];
  readonly differences = new Set<OwsDifference>(['data-model', 'step-ids']);
  private names = 0;

  constructor(
    private readonly text: string,
    private readonly map: SourceMap,
  ) {}

  refuse(message: string, at: Path, offset = 0, code: 'WEFT085' | 'WEFT086' = 'WEFT085'): void {
    const p = ptr(at);
    const pos = this.map.position(p);
    // A quoted scalar starts one column before its text; close enough to name the token.
    const quoted = /^["']/.test(this.text.split('\n')[pos.line - 1]?.slice(pos.col - 1) ?? '');
    this.diagnostics.push({
      code,
      severity: 'error',
      message,
      pointer: p,
      line: pos.line,
      col: pos.col + (offset > 0 ? offset + (quoted ? 1 : 0) : 0),
    });
  }

  /** A Weft value (strings with `${ }` are expressions) as an OWS value. */
  value(v: unknown, at: Path, locals: ReadonlySet<string>): Json {
    if (typeof v === 'string') return this.str(v, at, locals);
    if (Array.isArray(v)) return v.map((x, i) => this.value(x, [...at, i], locals));
    if (isObj(v))
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, this.value(x, [...at, k], locals)]),
      );
    return v as Json;
  }

  /** A string: plain, one whole `${ }` expression, or a template (a jq string interpolation). */
  str(s: string, at: Path, locals: ReadonlySet<string>): string {
    const { expressions } = scanTemplate(s);
    if (expressions.length === 0) return s;
    const close = (e: { source: string; offset: number }) =>
      s.indexOf('}', e.offset + 2 + s.slice(e.offset + 2).indexOf(e.source) + e.source.length);
    const one = expressions[0];
    try {
      if (
        expressions.length === 1 &&
        one &&
        s.slice(0, one.offset).trim() === '' &&
        s.slice(close(one) + 1).trim() === ''
      )
        return `\${ ${this.expr(one.source, at, s.indexOf(one.source, one.offset + 2), locals)} }`;
      let out = '"';
      let pos = 0;
      for (const e of expressions) {
        out += escapeJq(s.slice(pos, e.offset));
        out += `\\(${this.expr(e.source, at, s.indexOf(e.source, e.offset + 2), locals)})`;
        pos = close(e) + 1;
      }
      out += `${escapeJq(s.slice(pos))}"`;
      return `\${ ${out} }`;
    } catch (err) {
      if (err instanceof Refused) return s;
      throw err;
    }
  }

  expr(src: string, at: Path, base: number, locals: ReadonlySet<string>): string {
    try {
      return jsonataToJq(src, locals, this.differences);
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      this.refuse(`expression "${src}": ${err.message}`, at, base, 'WEFT086');
      throw err;
    }
  }

  name(step: Obj, kind: string): string {
    this.names++;
    return typeof step.id === 'string' ? step.id : `${kind}-${this.names}`;
  }

  /** A Weft step list as an OWS task list (`- name: task` mappings). */
  steps(list: unknown, at: Path, locals: ReadonlySet<string>): Obj[] {
    if (!Array.isArray(list)) return [];
    return list.flatMap((s, i) => (isObj(s) ? this.step(s, [...at, i], locals) : []));
  }

  step(s: Obj, at: Path, locals: ReadonlySet<string>): Obj[] {
    for (const [k, d] of Object.entries(STEP_KEYS_DROPPED))
      if (s[k] !== undefined) this.differences.add(d);
    if (s.name !== undefined) this.differences.add('names');
    // Every key is either exported, a documented difference, or refused: none is dropped.
    const kind = Object.keys(s).find((k) => !EXPORTED_KEYS.has(k) && k !== 'result');
    if (kind !== undefined && !Object.keys(s).some((k) => EXPORTED_KINDS.has(k))) {
      this.refuse(`a \`${kind}\` step has no Serverless Workflow form`, [...at, kind]);
      return [];
    }
    const result = ['activity', 'forEach', 'wait'].some((k) => s[k] !== undefined);
    for (const k of Object.keys(s)) {
      if (k === 'result' && !result)
        this.refuse(
          'a `result` on this step has no OWS form (only calls, loops and signal waits keep one)',
          [...at, k],
        );
      else if (!EXPORTED_KEYS.has(k))
        this.refuse(`\`${k}\` has no Serverless Workflow form`, [...at, k]);
    }
    const tasks = this.body(s, at, locals);
    if (s.when !== undefined && tasks.length > 0) {
      this.differences.add('truthiness');
      const cond = this.value(s.when, [...at, 'when'], locals);
      if (tasks.length === 1 && tasks[0]) {
        const [[n, t]] = Object.entries(tasks[0]) as [[string, Obj]];
        return [{ [n]: { if: cond, ...t } }];
      }
      return [{ [`${this.name(s, 'when')}-when`]: { if: cond, do: tasks } }];
    }
    return tasks;
  }

  private exportAs(result: unknown, valueJq = '.'): Obj {
    return typeof result === 'string'
      ? { export: { as: `\${ $context + {${JSON.stringify(result)}: ${valueJq}} }` } }
      : {};
  }

  body(s: Obj, at: Path, locals: ReadonlySet<string>): Obj[] {
    if (typeof s.activity === 'string') {
      const task: Obj = { call: s.activity };
      if (s.input !== undefined) task.with = this.value(s.input, [...at, 'input'], locals);
      return [{ [this.name(s, 'call')]: { ...task, ...this.exportAs(s.result) } }];
    }
    if (isObj(s.set)) {
      const set = this.value(s.set, [...at, 'set'], locals) as Obj;
      return [{ [this.name(s, 'set')]: { set, export: { as: '${ $context + . }' } } }];
    }
    if (s.log !== undefined) {
      this.differences.add('log-as-emit');
      const data = this.value(s.log, [...at, 'log'], locals);
      return [
        {
          [this.name(s, 'log')]: {
            emit: { event: { with: { source: 'weft://log', type: 'weft.log', data } } },
          },
        },
      ];
    }
    if (s.sleep !== undefined) {
      const ms =
        typeof s.sleep === 'number'
          ? s.sleep
          : typeof s.sleep === 'string'
            ? parseDuration(s.sleep)
            : undefined;
      if (ms === undefined) {
        this.refuse('only a literal duration sleeps in OWS (`wait` takes no expression)', [
          ...at,
          'sleep',
        ]);
        return [];
      }
      return [{ [this.name(s, 'sleep')]: { wait: { milliseconds: ms } } }];
    }
    if (isObj(s.fail)) {
      const f = s.fail;
      // An OWS error type is a URI: a Weft type `Rejected` becomes `weft://errors/Rejected`.
      this.differences.add('error-types');
      const type = this.value(f.error ?? 'Error', [...at, 'fail', 'error'], locals);
      const error: Obj = {
        type: typeof type === 'string' && !type.startsWith('${') ? `weft://errors/${type}` : type,
        status: 500,
      };
      if (f.message !== undefined)
        error.title = this.value(f.message, [...at, 'fail', 'message'], locals);
      if (f.details !== undefined)
        this.refuse("a failure's `details` has no place in an OWS error", [
          ...at,
          'fail',
          'details',
        ]);
      return [{ [this.name(s, 'fail')]: { raise: { error } } }];
    }
    if (isObj(s.wait)) {
      const w = s.wait;
      if (typeof w.signal !== 'string') {
        this.refuse('only a wait for a signal has an OWS form (`listen`)', [...at, 'wait']);
        return [];
      }
      for (const k of Object.keys(w)) {
        if (k !== 'signal')
          this.refuse(
            `a signal wait's \`${k}\` has no OWS form (the importer's listen takes no timeout or condition)`,
            [...at, 'wait', k],
          );
      }
      return [
        {
          [this.name(s, 'listen')]: {
            listen: { to: { one: { with: { type: w.signal } } } },
            ...this.exportAs(s.result, '.[0]'),
          },
        },
      ];
    }
    if (s.forEach !== undefined) {
      const each = typeof s.as === 'string' ? s.as : 'item';
      const inner = new Set([...locals, each]);
      const body = this.steps(s.steps, [...at, 'steps'], inner);
      const name = this.name(s, 'for');
      if (typeof s.result !== 'string') {
        return [
          {
            [name]: {
              for: { each, in: this.value(s.forEach, [...at, 'forEach'], locals) },
              do: body,
            },
          },
        ];
      }
      // Weft collects each iteration's output; OWS keeps only the data, so the export appends
      // every iteration's last output to the context itself.
      const key = JSON.stringify(s.result);
      return [
        { [`${name}-start`]: { set: '${ . }', export: { as: `\${ $context + {${key}: []} }` } } },
        {
          [name]: {
            for: { each, in: this.value(s.forEach, [...at, 'forEach'], locals) },
            do: [
              ...body,
              {
                [`${name}-collect`]: {
                  set: '${ . }',
                  export: { as: `\${ $context + {${key}: ($context[${key}] + [.])} }` },
                },
              },
            ],
          },
        },
      ];
    }
    if (isObj(s.parallel)) {
      const p = s.parallel;
      const mode = p.mode ?? 'all';
      if (mode !== 'all' && mode !== 'any')
        this.refuse(`parallel mode "${String(mode)}" has no OWS form (all, any)`, [
          ...at,
          'parallel',
          'mode',
        ]);
      if (!isObj(p.branches)) {
        this.refuse('only named branches have an OWS form', [...at, 'parallel']);
        return [];
      }
      const branches = Object.entries(p.branches).map(([n, list]) => ({
        [n]: { do: this.steps(list, [...at, 'parallel', 'branches', n], locals) },
      }));
      return [
        {
          [this.name(s, 'fork')]: {
            fork: { branches, ...(mode === 'any' ? { compete: true } : {}) },
          },
        },
      ];
    }
    if (s.if !== undefined) {
      const name = this.name(s, 'if');
      this.differences.add('truthiness');
      const cond = this.value(s.if, [...at, 'if'], locals);
      const thenTasks = this.steps(s.then, [...at, 'then'], locals);
      const elseTasks = this.steps(s.else, [...at, 'else'], locals);
      return this.branch(name, [{ key: 'then', when: cond, tasks: thenTasks }], elseTasks);
    }
    if (s.switch !== undefined) {
      const name = this.name(s, 'switch');
      const on = this.value(s.switch, [...at, 'switch'], locals);
      if (typeof on !== 'string' || !on.startsWith('${')) {
        this.refuse('a switch on a literal has no OWS form', [...at, 'switch']);
        return [];
      }
      const subject = on.slice(2, -1).trim();
      const cases = isObj(s.cases)
        ? Object.entries(s.cases).map(([k, list]) => ({
            key: k,
            when: `\${ (${subject}) == ${JSON.stringify(k)} }`,
            tasks: this.steps(list, [...at, 'cases', k], locals),
          }))
        : [];
      return this.branch(name, cases, this.steps(s.default, [...at, 'default'], locals));
    }
    if (Array.isArray(s.try)) {
      if (s.finally !== undefined) this.refuse('`finally` has no OWS form', [...at, 'finally']);
      const clauses = Array.isArray(s.catch) ? s.catch : [];
      if (clauses.length !== 1 || !isObj(clauses[0])) {
        this.refuse('OWS has one catch per try: give exactly one catch clause', [...at, 'catch']);
        return [];
      }
      const c = clauses[0];
      const as = typeof c.as === 'string' ? c.as : 'error';
      const catchDef: Obj = { as };
      if (c.errors !== undefined) {
        const types = Array.isArray(c.errors) ? c.errors : [];
        if (types.length === 1 && types[0] === 'Timeout')
          catchDef.errors = { with: { type: TIMEOUT_TYPE } };
        else
          this.refuse(
            'a catch filter on Weft error types has no OWS form (an imported call fails with the runtime error type); only [Timeout] maps',
            [...at, 'catch', 0, 'errors'],
          );
      }
      catchDef.do = this.steps(c.steps, [...at, 'catch', 0, 'steps'], new Set([...locals, as]));
      return [
        {
          [this.name(s, 'try')]: {
            try: this.steps(s.try, [...at, 'try'], locals),
            catch: catchDef,
          },
        },
      ];
    }
    // The key check above has refused this step's kind already.
    return [];
  }

  /**
   * A choice as an OWS `switch` that jumps to one `do` task per branch; every branch but the
   * last jumps past the others (`exit` leaves this list when nothing follows in it).
   */
  branch(
    name: string,
    cases: { key: string; when: Json; tasks: Obj[] }[],
    otherwise: Obj[],
  ): Obj[] {
    const after = `${name}-end`;
    const all = [
      ...cases.map((c) => ({ ...c, task: `${name}-${c.key}` })),
      { key: 'default', when: null, tasks: otherwise, task: `${name}-default` },
    ];
    const sw: Obj[] = all.map(
      (c): Obj => ({
        [c.key]: c.when === null ? { then: c.task } : { when: c.when, then: c.task },
      }),
    );
    const tasks: Obj[] = [{ [name]: { switch: sw } }];
    all.forEach((c, i) => {
      const last = i === all.length - 1;
      const body: Obj = {
        do: c.tasks.length > 0 ? c.tasks : [{ [`${c.task}-nothing`]: { set: '${ . }' } }],
      };
      if (!last) body.then = after;
      tasks.push({ [c.task]: body });
    });
    // The jump target: a no-op that keeps the data as it is.
    tasks.push({ [after]: { set: '${ . }' } });
    return tasks;
  }
}

/** OWS names are DNS labels: lower case, digits and `-`, at most 63 characters. */
function owsName(name: string, x: Exporter): string {
  const label =
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'flow';
  if (label !== name) x.differences.add('names');
  return label;
}

function escapeJq(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/** Exports a parsed Weft flow (the plain value and its source map) to an OWS 1.0 document. */
export function exportOws(value: unknown, map: SourceMap, text: string): OwsExport {
  const x = new Exporter(text, map);
  if (!isObj(value)) return { diagnostics: x.diagnostics, differences: [] };
  const top = value;
  for (const k of ['queries', 'updates', 'flows', 'options', 'onCancel']) {
    if (top[k] !== undefined) x.refuse(`\`${k}\` has no Serverless Workflow form`, [k]);
  }
  // A signal that is only waited for is a `listen`; one with a handler (`set`) has no OWS form.
  if (isObj(top.signals)) {
    for (const [name, sig] of Object.entries(top.signals)) {
      if (!isObj(sig)) continue;
      for (const k of Object.keys(sig)) {
        if (k === 'input' || k === 'description') x.differences.add('signals');
        else x.refuse(`a signal's \`${k}\` has no Serverless Workflow form`, ['signals', name, k]);
      }
    }
  }
  if (top.defaults !== undefined) x.differences.add('defaults');
  const doc: Obj = {
    document: {
      dsl: '1.0.0',
      namespace: 'weft',
      name: owsName(typeof top.flow === 'string' ? top.flow : 'flow', x),
      version:
        typeof top.version === 'string'
          ? /^\d+\.\d+\.\d+/.test(top.version)
            ? top.version
            : `${top.version}.0.0`
          : '0.0.1',
      ...(typeof top.description === 'string' ? { summary: top.description } : {}),
    },
  };
  if (isObj(top.input)) doc.input = { schema: { format: 'json', document: top.input as Json } };
  const vars = isObj(top.vars) ? top.vars : undefined;
  const tasks: Obj[] = [];
  if (vars) {
    tasks.push({ 'weft-vars': { set: '${ . }', export: { as: `\${ ${JSON.stringify(vars)} }` } } });
  }
  tasks.push(...x.steps(top.steps, ['steps'], new Set()));
  if (tasks.length === 0) tasks.push({ 'weft-nothing': { set: '${ . }' } });
  doc.do = tasks;
  if (top.output !== undefined) {
    const out = x.value(top.output, ['output'], new Set());
    doc.output = { as: out };
  }
  if (x.diagnostics.length > 0)
    return { diagnostics: sortDiagnostics(x.diagnostics), differences: [] };
  return { document: doc, diagnostics: [], differences: [...x.differences].sort() };
}
