import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { Diagnostic, DiagnosticCode } from '../dsl';
import { arrayOf, JqError, type JqScope, jqToJsonata, stripRuntimeExpression } from './jq';
import { findOperation, type OpenApiOperation } from './openapi';

/**
 * Serverless Workflow 1.0 (OWS) documents to Weft flows. The OWS data model (each task reads the
 * previous task's output, `$context` is shared) is kept in flow variables: the current data in a
 * "slot" var (`data`, or one per fork branch), the context in `context`. jq expressions become
 * JSONata at import time (./jq.ts). Every construct either converts or is a positioned error.
 */

type Json = unknown;
type Step = Record<string, unknown>;
type Path = (string | number)[];

export interface OwsOptions {
  /** The document's file name, for diagnostics. */
  file?: string;
  /** URL prefix rewrites (`https://petstore.swagger.io` -> a stand-in), for HTTP and OpenAPI calls. */
  endpoints?: Readonly<Record<string, string>>;
  /** The OpenAPI documents already read, by their URL as the OWS document writes it. */
  openapi?: (url: string) => { doc?: unknown; error?: string } | undefined;
  /** Keeps the names of the tasks that ran, in order, in `vars.trace` (query `owsTrace`). */
  trace?: boolean;
}

export interface OwsConversion {
  flow?: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** Weft step id -> the OWS task's JSON pointer (`/do/0/setRed`). */
  sources: Map<string, string>;
  /** Where an OWS JSON pointer sits in the source text. */
  position(pointer: string): { line: number; col: number };
}

export const COMMUNICATION = 'https://serverlessworkflow.io/spec/1.0.0/errors/communication';
const RUNTIME = 'https://serverlessworkflow.io/spec/1.0.0/errors/runtime';
const TIMEOUT = 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout';
/** The Weft error type of an OWS error re-raised by a catch that does not match it. */
export const OWS_ERROR = 'OwsError';
const MAX_STATES = 100_000;

export { isOwsText } from './detect';

class Stop extends Error {}

const CALL_KINDS = new Set(['http', 'openapi']);
const UNSUPPORTED_CALLS = new Set(['grpc', 'asyncapi', 'a2a', 'mcp']);
const TASK_KINDS = [
  'call',
  'do',
  'fork',
  'emit',
  'for',
  'listen',
  'raise',
  'run',
  'set',
  'switch',
  'try',
  'wait',
] as const;
const COMMON_KEYS = new Set(['if', 'input', 'output', 'export', 'timeout', 'then', 'metadata']);
const KIND_KEYS: Record<string, string[]> = {
  call: ['call', 'with'],
  do: ['do'],
  fork: ['fork'],
  emit: ['emit'],
  for: ['for', 'while', 'do'],
  listen: ['listen', 'foreach'],
  raise: ['raise'],
  run: ['run'],
  set: ['set'],
  switch: ['switch'],
  try: ['try', 'catch'],
  wait: ['wait'],
};

/** Step ids are the task's pointer with `.` for `/` (the id pattern refuses `/`). */
export function stepIdOf(path: Path): string {
  return path.map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, '_')).join('.');
}

function pointerOf(path: Path): string {
  return `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const tpl = (jsonata: string) => `\${ ${jsonata} }`;

interface Ctx {
  /** The var holding the current data. */
  slot: string;
  /** jq variables visible here (`$color`, `$err`), as JSONata. */
  vars: Record<string, string>;
  /** The flow's output, given the JSONata of the data to end with. */
  end(data: string): Step;
}

/** The OWS task nearest to a pointer into the converted flow. */
export function owsPointerFor(conversion: OwsConversion, pointer: string): string | undefined {
  let node: unknown = conversion.flow;
  let found: string | undefined;
  for (const seg of pointer.split('/').slice(1)) {
    if (isObject(node) && typeof node.id === 'string') {
      found = conversion.sources.get(node.id.split(':')[0] as string) ?? found;
    }
    node = Array.isArray(node)
      ? node[Number(seg)]
      : isObject(node)
        ? node[seg.replace(/~1/g, '/').replace(/~0/g, '~')]
        : undefined;
  }
  if (isObject(node) && typeof node.id === 'string') {
    found = conversion.sources.get(node.id.split(':')[0] as string) ?? found;
  }
  return found;
}

export function convertOws(text: string, options: OwsOptions = {}): OwsConversion {
  return new Converter(text, options).run();
}

class Converter {
  private readonly lines = new LineCounter();
  private readonly doc;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly sources = new Map<string, string>();
  private readonly counter = { n: 0 };
  private readonly signals = new Set<string>();
  private slots = 0;
  private machines = 0;
  private uses: Record<string, Record<string, Json>> = {};

  constructor(
    text: string,
    private readonly options: OwsOptions,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true });
  }

  run(): OwsConversion {
    const result: OwsConversion = {
      diagnostics: this.diagnostics,
      sources: this.sources,
      position: (pointer) => this.positionOfPointer(pointer),
    };
    if (this.doc.errors.length > 0) {
      for (const e of this.doc.errors) {
        const { line, col } = this.lines.linePos(e.pos[0]);
        this.diagnostics.push(
          this.diag('WEFT001', e.message.split('\n')[0] ?? e.message, '', line, col),
        );
      }
      return result;
    }
    const root = this.doc.toJS({ maxAliasCount: 100 }) as Json;
    try {
      result.flow = this.workflow(root);
    } catch (err) {
      if (!(err instanceof Stop)) throw err;
    }
    if (this.diagnostics.some((d) => d.severity === 'error')) delete result.flow;
    return result;
  }

  // ---- diagnostics and positions -------------------------------------------------------------

  private diag(
    code: DiagnosticCode,
    message: string,
    pointer: string,
    line: number,
    col: number,
  ): Diagnostic {
    const d: Diagnostic = { code, severity: 'error', message, pointer, line, col };
    if (this.options.file) d.file = this.options.file;
    return d;
  }

  private nodeAt(path: Path): YamlNode | undefined {
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      if (isMap(node)) node = node.get(seg, true);
      else if (isSeq(node)) node = node.get(Number(seg), true);
      else return undefined;
    }
    return node as YamlNode | undefined;
  }

  /**
   * The position of the deepest node along the path: a scalar's value (plus `offset` into it),
   * or the key of a collection, so an error on a task points at the task's name.
   */
  private positionOf(path: Path, offset = 0): { line: number; col: number } {
    for (let n = path.length; n >= 0; n--) {
      const node = this.nodeAt(path.slice(0, n));
      if (!node?.range) continue;
      let start = node.range[0];
      if (isScalar(node)) {
        if (n === path.length && offset > 0) {
          const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
          start += quoted + offset;
        }
      } else if (n > 0) {
        const parent = this.nodeAt(path.slice(0, n - 1));
        const seg = path[n - 1];
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === seg);
          const keyRange = pair && isScalar(pair.key) ? pair.key.range : undefined;
          if (keyRange) start = keyRange[0];
        }
      }
      return this.lines.linePos(start);
    }
    return { line: 1, col: 1 };
  }

  private positionOfPointer(pointer: string): { line: number; col: number } {
    const path = pointer
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    return this.positionOf(path);
  }

  private error(code: DiagnosticCode, message: string, path: Path, offset = 0): void {
    const { line, col } = this.positionOf(path, offset);
    this.diagnostics.push(this.diag(code, message, pointerOf(path), line, col));
  }

  private unsupported(message: string, path: Path): void {
    this.error('WEFT080', message, path);
  }

  // ---- expressions -----------------------------------------------------------------------------

  private scope(ctx: Ctx, dot?: string): JqScope {
    return {
      dot: dot ?? `vars.${ctx.slot}`,
      vars: {
        input: `vars.${ctx.slot}`,
        context: 'vars.context',
        workflow:
          '{"id": workflow.id, "input": input, "startedAt": {"iso8601": workflow.startTime}}',
        runtime: '{"name": "weft"}',
        ...ctx.vars,
      },
    };
  }

  /** A jq expression (with or without `${ }`) to JSONata; undefined after a WEFT081. */
  private jq(src: string, path: Path, scope: JqScope): string | undefined {
    const stripped = stripRuntimeExpression(src);
    const body = stripped ? stripped.body : src;
    const base = stripped ? stripped.offset : 0;
    try {
      return jqToJsonata(body, scope, base, this.counter);
    } catch (err) {
      if (!(err instanceof JqError)) throw err;
      this.error('WEFT081', `jq expression: ${err.message}`, path, err.offset);
      return undefined;
    }
  }

  /** A value whose strings that are `${ … }` are expressions, as one JSONata expression. */
  private value(v: Json, path: Path, scope: JqScope): string {
    if (typeof v === 'string') {
      if (stripRuntimeExpression(v)) return this.jq(v, path, scope) ?? 'null';
      return JSON.stringify(v);
    }
    if (Array.isArray(v))
      return `[${v.map((x, i) => this.value(x, [...path, i], scope)).join(', ')}]`;
    if (isObject(v)) {
      const entries = Object.entries(v).map(
        ([k, x]) => `${JSON.stringify(k)}: ${this.value(x, [...path, k], scope)}`,
      );
      return `{${entries.join(', ')}}`;
    }
    return JSON.stringify(v ?? null);
  }

  /** Fields that are always expressions (`from`, `as`, `when`, `in`): strings need no `${ }`. */
  private exprField(v: Json, path: Path, scope: JqScope): string {
    if (typeof v === 'string') return this.jq(v, path, scope) ?? 'null';
    return this.value(v, path, scope);
  }

  private usesInput(v: Json): boolean {
    return JSON.stringify(v ?? null).includes('$input');
  }

  // ---- the document ----------------------------------------------------------------------------

  private workflow(root: Json): Record<string, unknown> {
    if (!isObject(root)) {
      this.error('WEFT084', 'an OWS document must be a mapping', []);
      throw new Stop();
    }
    const document = root.document;
    if (!isObject(document)) {
      this.error('WEFT084', '`document` must be a mapping with dsl, namespace, name and version', [
        'document',
      ]);
      throw new Stop();
    }
    const dsl = String(document.dsl ?? '');
    if (!/^1\.\d+(\.\d+)?/.test(dsl)) {
      this.error(
        'WEFT084',
        `unsupported DSL version "${dsl}": Weft reads Serverless Workflow 1.x`,
        ['document', 'dsl'],
      );
    }
    const name = typeof document.name === 'string' ? document.name : '';
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) {
      this.error('WEFT084', '`document.name` must be a name (letters, digits, `-`, `.`, `_`)', [
        'document',
        'name',
      ]);
    }
    for (const key of Object.keys(root)) {
      if (
        !['document', 'input', 'output', 'use', 'do', 'timeout', 'evaluate', 'schedule'].includes(
          key,
        )
      ) {
        this.error('WEFT084', `unknown top-level key "${key}"`, [key]);
      }
    }
    if (root.schedule !== undefined) {
      this.unsupported(
        '`schedule` has no Weft form: start the flow on a Temporal schedule instead',
        ['schedule'],
      );
    }
    const evaluate = root.evaluate;
    if (isObject(evaluate) && evaluate.language !== undefined && evaluate.language !== 'jq') {
      this.unsupported(`expression language "${String(evaluate.language)}": only jq is read`, [
        'evaluate',
        'language',
      ]);
    }
    this.readUse(root.use);

    const flow: Record<string, unknown> = { flow: name };
    if (document.version !== undefined) flow.version = String(document.version);
    const description = [document.title, document.summary]
      .filter((x) => typeof x === 'string')
      .join(': ');
    if (description) flow.description = description;
    flow.vars = { context: {} };

    const top: Ctx = { slot: 'data', vars: {}, end: (d) => ({ return: tpl(outputOf(d)) }) };
    const steps: Step[] = [];
    const input = root.input;
    let from = 'input';
    if (isObject(input)) {
      for (const key of Object.keys(input)) {
        if (key === 'from') {
          from = this.exprField(input.from, ['input', 'from'], {
            ...this.scope(top),
            dot: 'input',
          });
        } else if (key === 'schema') {
          const schema = input.schema;
          if (
            isObject(schema) &&
            isObject(schema.document) &&
            (schema.format ?? 'json') === 'json'
          ) {
            flow.input = schema.document;
          } else
            this.unsupported('only an inline JSON Schema (`schema.document`) is read', [
              'input',
              'schema',
            ]);
        } else this.error('WEFT084', `unknown key "${key}" in input`, ['input', key]);
      }
    }
    steps.push({ id: 'input', set: { data: tpl(from) } });

    let outputAs: string | undefined;
    const output = root.output;
    if (isObject(output)) {
      for (const key of Object.keys(output)) {
        if (key === 'as') outputAs = '';
        else if (key !== 'schema')
          this.error('WEFT084', `unknown key "${key}" in output`, ['output', key]);
        else
          this.unsupported('an output schema is not checked by Weft; remove it', [
            'output',
            'schema',
          ]);
      }
    }
    const outputOf = (data: string): string => {
      if (outputAs === undefined || !isObject(output)) return data;
      const v = this.fresh();
      const scope = { ...this.scope(top), dot: v };
      return `(${v} := ${data}; ${this.exprField(output.as, ['output', 'as'], scope)})`;
    };

    if (isObject(root.timeout)) {
      const ms = this.duration((root.timeout as Record<string, Json>).after, ['timeout', 'after']);
      if (ms !== undefined) flow.options = { executionTimeout: ms };
    } else if (root.timeout !== undefined) {
      this.unsupported('a named timeout (`use.timeouts`) is not supported; write it inline', [
        'timeout',
      ]);
    }

    if (!Array.isArray(root.do)) {
      this.error('WEFT084', '`do` must be a list of tasks', ['do']);
      throw new Stop();
    }
    steps.push(...this.doList(root.do, ['do'], top));
    flow.output = tpl(outputOf('vars.data'));
    if (this.options.trace) {
      (flow.vars as Record<string, unknown>).trace = [];
      flow.queries = { owsTrace: '${ vars.trace }' };
    }
    if (this.signals.size > 0) {
      flow.signals = Object.fromEntries([...this.signals].map((s) => [s, {}]));
    }
    flow.steps = steps;
    return flow;
  }

  private readUse(use: Json): void {
    if (use === undefined) return;
    if (!isObject(use)) {
      this.error('WEFT084', '`use` must be a mapping', ['use']);
      return;
    }
    for (const [key, value] of Object.entries(use)) {
      if (['errors', 'retries', 'authentications'].includes(key) && isObject(value)) {
        this.uses[key] = value;
      } else {
        this.unsupported(
          `\`use.${key}\` is not supported (Weft reads use.errors, use.retries and use.authentications)`,
          ['use', key],
        );
      }
    }
  }

  private fresh(): string {
    return `$jq${this.counter.n++}`;
  }

  // ---- task lists and flow directives ------------------------------------------------------------

  private doList(list: Json, path: Path, ctx: Ctx): Step[] {
    if (!Array.isArray(list) || list.length === 0) {
      this.error('WEFT084', 'a task list must be a non-empty list of `- name: task` entries', path);
      return [];
    }
    const tasks: { name: string; def: Record<string, Json>; path: Path }[] = [];
    list.forEach((entry, i) => {
      const keys = isObject(entry) ? Object.keys(entry) : [];
      const name = keys[0];
      if (
        keys.length !== 1 ||
        name === undefined ||
        !isObject((entry as Record<string, Json>)[name])
      ) {
        this.error('WEFT084', 'each entry of a task list is one `name: task` mapping', [
          ...path,
          i,
        ]);
        return;
      }
      tasks.push({
        name,
        def: (entry as Record<string, Record<string, Json>>)[name] as Record<string, Json>,
        path: [...path, i, name],
      });
    });
    const names = new Set(tasks.map((t) => t.name));
    const linear = tasks.every(
      (t) => (t.def.then === undefined || t.def.then === 'continue') && t.def.switch === undefined,
    );
    if (linear) return tasks.flatMap((t) => this.task(t.name, t.def, t.path, ctx));

    // A state machine: `pc` names the next task, `$exit` leaves the list.
    const pc = `pc_${this.machines++}`;
    const base = stepIdOf(path);
    const target = (then: Json, i: number, at: Path): Step[] => {
      const next = tasks[i + 1]?.name ?? '$exit';
      if (then === undefined || then === 'continue') return [{ set: { [pc]: next } }];
      if (then === 'exit') return [{ set: { [pc]: '$exit' } }];
      if (then === 'end') return [ctx.end(`vars.${ctx.slot}`)];
      if (typeof then === 'string' && names.has(then)) return [{ set: { [pc]: then } }];
      if (typeof then === 'string' && stripRuntimeExpression(then)) {
        this.unsupported('a computed `then` target is not supported; name a task', at);
      } else {
        this.error(
          'WEFT082',
          `\`then: ${String(then)}\` names no task of this list (tasks: ${[...names].join(', ')}; or continue, exit, end)`,
          at,
        );
      }
      return [];
    };
    const cases: Record<string, Step[]> = {};
    tasks.forEach((t, i) => {
      const body =
        t.def.switch !== undefined
          ? this.switchTask(t.name, t.def, t.path, ctx, (then, at) => target(then, i, at))
          : this.task(t.name, t.def, t.path, ctx);
      cases[t.name] = [
        ...body,
        ...(t.def.switch !== undefined ? [] : target(t.def.then, i, [...t.path, 'then'])),
      ];
    });
    return [
      { id: `${base}:start`, set: { [pc]: tasks[0]?.name ?? '$exit' } },
      {
        id: `${base}:flow`,
        while: tpl(`vars.${pc} != "$exit"`),
        maxIterations: MAX_STATES,
        steps: [{ id: `${base}:next`, switch: tpl(`vars.${pc}`), cases }],
      },
    ];
  }

  /** A switch: the first case whose `when` holds (or that has none) picks the next task. */
  private switchTask(
    name: string,
    def: Record<string, Json>,
    path: Path,
    ctx: Ctx,
    target: (then: Json, at: Path) => Step[],
  ): Step[] {
    this.checkKeys(def, 'switch', path);
    const id = stepIdOf(path);
    this.sources.set(id, pointerOf(path));
    const trace = this.traceStep(name, id);
    const list = def.switch;
    if (!Array.isArray(list)) {
      this.error('WEFT084', '`switch` must be a list of `- name: {when, then}` cases', [
        ...path,
        'switch',
      ]);
      return [];
    }
    const scope = this.scope(ctx);
    let chain: Step[] = target(def.then, [...path, 'then']);
    for (let i = list.length - 1; i >= 0; i--) {
      const entry = list[i];
      const caseName = isObject(entry) ? Object.keys(entry)[0] : undefined;
      const c = caseName !== undefined && isObject(entry) ? entry[caseName] : undefined;
      const at: Path = [...path, 'switch', i, caseName ?? ''];
      if (!isObject(c)) {
        this.error('WEFT084', 'each switch case is `name: {when, then}`', [...path, 'switch', i]);
        continue;
      }
      const then = target(c.then ?? 'continue', [...at, 'then']);
      if (c.when === undefined) chain = then;
      else {
        const cond = this.exprField(c.when, [...at, 'when'], scope);
        chain = [{ id: `${id}.${i}`, if: tpl(truthy(cond)), then, else: chain }];
      }
    }
    // The switch's first step carries its id, so progress and `weft import` comments name it.
    const head = chain[0];
    if (head) head.id = id;
    const steps = [...trace, ...chain];
    if (def.if !== undefined) {
      const cond = this.exprField(def.if, [...path, 'if'], scope);
      return [
        {
          id: `${id}:if`,
          if: tpl(truthy(cond)),
          then: steps,
          else: target(def.then, [...path, 'then']),
        },
      ];
    }
    return steps;
  }

  private checkKeys(def: Record<string, Json>, kind: string, path: Path): void {
    const allowed = new Set([...COMMON_KEYS, ...(KIND_KEYS[kind] ?? [])]);
    for (const key of Object.keys(def)) {
      if (!allowed.has(key))
        this.error('WEFT084', `unknown key "${key}" in a ${kind} task`, [...path, key]);
    }
  }

  private traceStep(name: string, id: string): Step[] {
    return this.options.trace
      ? [
          {
            id: `${id}:trace`,
            set: { trace: tpl(`$append(vars.trace, [${JSON.stringify(name)}])`) },
          },
        ]
      : [];
  }

  // ---- one task ----------------------------------------------------------------------------------

  private task(name: string, def: Record<string, Json>, path: Path, ctx: Ctx): Step[] {
    const kinds = TASK_KINDS.filter(
      (k) => def[k] !== undefined && !(k === 'do' && def.for !== undefined),
    );
    const kind = kinds[0];
    if (kinds.length !== 1 || kind === undefined) {
      this.error(
        'WEFT084',
        kinds.length === 0
          ? `task "${name}" has no task kind (${TASK_KINDS.join(', ')})`
          : `task "${name}" has more than one task kind (${kinds.join(', ')})`,
        path,
      );
      return [];
    }
    this.checkKeys(def, kind, path);
    const id = stepIdOf(path);
    this.sources.set(id, pointerOf(path));
    const slot = `vars.${ctx.slot}`;
    const steps: Step[] = [...this.traceStep(name, id)];

    const input = def.input;
    if (isObject(input)) {
      for (const key of Object.keys(input)) {
        if (key === 'from') {
          steps.push({
            id: `${id}:input`,
            set: {
              [ctx.slot]: tpl(
                this.exprField(input.from, [...path, 'input', 'from'], this.scope(ctx)),
              ),
            },
          });
        } else
          this.unsupported(`\`input.${key}\` on a task is not supported`, [...path, 'input', key]);
      }
    }
    if (def.timeout !== undefined && kind !== 'call') {
      this.unsupported('a task timeout is supported on call tasks only', [...path, 'timeout']);
    }

    const body = this.body(kind, name, def, path, id, ctx);
    steps.push(...body.steps);

    // Output and export: one `set`, keys in order (the slot first, then the context reading it).
    const out: Record<string, string> = {};
    const output = def.output;
    const savedInput = `${ctx.slot}_in`;
    let asExpr: string | undefined;
    if (isObject(output)) {
      for (const key of Object.keys(output)) {
        if (key !== 'as')
          this.unsupported(`\`output.${key}\` on a task is not supported`, [
            ...path,
            'output',
            key,
          ]);
      }
      if (output.as !== undefined) {
        const raw = body.raw ?? slot;
        const inputVar =
          body.raw === undefined && this.usesInput(output.as) ? `vars.${savedInput}` : slot;
        const scope = this.scope(ctx, raw);
        asExpr = this.exprField(output.as, [...path, 'output', 'as'], {
          ...scope,
          vars: { ...scope.vars, input: inputVar },
        });
        if (inputVar !== slot)
          steps.splice(steps.length - body.steps.length, 0, {
            id: `${id}:save`,
            set: { [savedInput]: tpl(slot) },
          });
      }
    }
    if (asExpr !== undefined) out[ctx.slot] = tpl(asExpr);
    else if (body.raw !== undefined && body.raw !== slot) out[ctx.slot] = tpl(body.raw);
    const exp = def.export;
    if (isObject(exp)) {
      for (const key of Object.keys(exp)) {
        if (key !== 'as')
          this.unsupported(`\`export.${key}\` is not supported`, [...path, 'export', key]);
      }
      if (exp.as !== undefined) {
        const scope = this.scope(ctx);
        out.context = tpl(this.exprField(exp.as, [...path, 'export', 'as'], scope));
      }
    }
    if (Object.keys(out).length > 0) steps.push({ id: `${id}:output`, set: out });
    if (def.if !== undefined) {
      const cond = this.exprField(def.if, [...path, 'if'], this.scope(ctx));
      return [{ id: `${id}:if`, if: tpl(truthy(cond)), then: steps }];
    }
    return steps;
  }

  /** The task's own work; `raw` is its raw output as JSONata (default: the slot as it is). */
  private body(
    kind: string,
    name: string,
    def: Record<string, Json>,
    path: Path,
    id: string,
    ctx: Ctx,
  ): { steps: Step[]; raw?: string } {
    const scope = this.scope(ctx);
    switch (kind) {
      case 'set': {
        const v = def.set;
        const expr =
          typeof v === 'string'
            ? this.exprField(v, [...path, 'set'], scope)
            : this.value(v, [...path, 'set'], scope);
        return { steps: [{ id, set: { [ctx.slot]: tpl(expr) } }] };
      }
      case 'do':
        return { steps: this.doList(def.do, [...path, 'do'], ctx) };
      case 'call':
        return this.call(def, path, id, ctx);
      case 'fork':
        return this.fork(def, path, id, ctx);
      case 'for':
        return this.forTask(def, path, id, ctx);
      case 'try':
        return this.tryTask(def, path, id, ctx);
      case 'wait': {
        const ms = this.duration(def.wait, [...path, 'wait']);
        return { steps: ms === undefined ? [] : [{ id, sleep: ms }] };
      }
      case 'raise':
        return { steps: this.raise(def, path, id, ctx) };
      case 'emit':
        return this.emit(def, path, id, ctx);
      case 'listen':
        return this.listen(def, path, id, ctx);
      case 'run':
        this.unsupported(
          '`run` (container, script, shell, workflow) has no Weft form: call an activity that does the work',
          [...path, 'run'],
        );
        return { steps: [] };
    }
    this.unsupported(`task "${name}": unsupported task kind "${kind}"`, path);
    return { steps: [] };
  }

  // ---- call --------------------------------------------------------------------------------------

  private call(
    def: Record<string, Json>,
    path: Path,
    id: string,
    ctx: Ctx,
  ): { steps: Step[]; raw?: string } {
    const fn = def.call;
    const w = isObject(def.with) ? def.with : {};
    const scope = this.scope(ctx);
    const at: Path = [...path, 'with'];
    if (typeof fn !== 'string') {
      this.error('WEFT084', '`call` must name a function', [...path, 'call']);
      return { steps: [] };
    }
    const out = `${ctx.slot}_out`;
    const timeouts = this.taskTimeout(def, path);
    if (UNSUPPORTED_CALLS.has(fn)) {
      this.unsupported(
        `\`call: ${fn}\` is not supported (Weft calls http, openapi and activities)`,
        [...path, 'call'],
      );
      return { steps: [] };
    }
    if (!CALL_KINDS.has(fn)) {
      // An activity-style call: a plugin's (or another worker's) activity by name.
      const step: Step = { id, activity: fn, result: out, ...timeouts };
      if (def.with !== undefined) step.input = tpl(this.value(def.with, at, scope));
      return { steps: [step], raw: `vars.${out}` };
    }
    let request: HttpParts | undefined;
    if (fn === 'http') request = this.httpParts(w, at, scope);
    else request = this.openapiParts(w, at, scope);
    if (!request) return { steps: [] };
    const input: Record<string, unknown> = { method: request.method, url: tpl(request.url) };
    if (request.headers) input.headers = tpl(request.headers);
    if (request.body) input.body = tpl(request.body);
    const step: Step = { id, activity: 'http.request', input, result: out, ...timeouts };
    const mode = w.output ?? 'content';
    const o = `vars.${out}`;
    let raw = `${o}.body`;
    if (mode === 'response') {
      raw = `{"request": {"method": ${JSON.stringify(request.method)}, "uri": ${request.url}, "headers": ${request.headers ?? '{}'}}, "headers": ${o}.headers, "statusCode": ${o}.status, "content": ${o}.body}`;
    } else if (mode === 'raw') {
      this.unsupported(
        '`output: raw` (the body as base64) is not supported: http.request returns the parsed body; use content',
        [...at, 'output'],
      );
    } else if (mode !== 'content') {
      this.error('WEFT084', '`output` must be content, response or raw', [...at, 'output']);
    }
    return { steps: [step], raw };
  }

  private taskTimeout(def: Record<string, Json>, path: Path): Record<string, unknown> {
    if (def.timeout === undefined) return {};
    if (!isObject(def.timeout)) {
      this.unsupported('a named timeout (`use.timeouts`) is not supported; write it inline', [
        ...path,
        'timeout',
      ]);
      return {};
    }
    const ms = this.duration(def.timeout.after, [...path, 'timeout', 'after']);
    return ms === undefined ? {} : { timeouts: { scheduleToClose: ms } };
  }

  private rewrite(url: string): string {
    for (const [from, to] of Object.entries(this.options.endpoints ?? {})) {
      if (url.startsWith(from)) return to + url.slice(from.length);
    }
    return url;
  }

  /** A URI template (`…/pet/{petId}`) to JSONata: each `{name}` reads the task input's field. */
  private uriTemplate(
    uri: string,
    scope: JqScope,
    params?: (name: string) => string | undefined,
  ): string {
    const parts: string[] = [];
    let last = 0;
    for (const m of uri.matchAll(/\{([^{}]+)\}/g)) {
      if (m.index > last) parts.push(JSON.stringify(uri.slice(last, m.index)));
      const name = m[1] as string;
      const value =
        params?.(name) ??
        `${scope.dot}.${/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name}\``}`;
      parts.push(`$encodeUrlComponent($string(${value}))`);
      last = m.index + m[0].length;
    }
    if (last < uri.length) parts.push(JSON.stringify(uri.slice(last)));
    return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' & ')})`;
  }

  private httpParts(w: Record<string, Json>, at: Path, scope: JqScope): HttpParts | undefined {
    for (const key of Object.keys(w)) {
      if (!['method', 'endpoint', 'headers', 'body', 'query', 'output', 'redirect'].includes(key)) {
        this.error('WEFT084', `unknown key "${key}" in an http call`, [...at, key]);
      }
    }
    if (w.redirect !== undefined && w.redirect !== true) {
      this.unsupported('`redirect: false` is not supported: http.request follows redirects', [
        ...at,
        'redirect',
      ]);
    }
    const method = typeof w.method === 'string' ? w.method.toUpperCase() : '';
    if (!/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(method)) {
      this.error(
        'WEFT084',
        '`method` must be one of get, post, put, patch, delete, head, options',
        [...at, 'method'],
      );
      return undefined;
    }
    const endpoint = w.endpoint;
    const uri =
      typeof endpoint === 'string' ? endpoint : isObject(endpoint) ? endpoint.uri : undefined;
    const uriAt: Path =
      typeof endpoint === 'string' ? [...at, 'endpoint'] : [...at, 'endpoint', 'uri'];
    if (typeof uri !== 'string') {
      this.error('WEFT084', '`endpoint` must be a URI or {uri, authentication}', [
        ...at,
        'endpoint',
      ]);
      return undefined;
    }
    let url = stripRuntimeExpression(uri)
      ? (this.jq(uri, uriAt, scope) ?? '""')
      : this.uriTemplate(this.rewrite(uri), scope);
    if (w.query !== undefined)
      url = this.withQuery(url, uri, this.value(w.query, [...at, 'query'], scope));
    const headerEntries: string[] = [];
    let headers: string | undefined;
    if (isObject(w.headers)) {
      for (const [k, v] of Object.entries(w.headers)) {
        headerEntries.push(
          `${JSON.stringify(k)}: $string(${this.value(v, [...at, 'headers', k], scope)})`,
        );
      }
    } else if (w.headers !== undefined) headers = this.value(w.headers, [...at, 'headers'], scope);
    const auth = isObject(endpoint)
      ? this.authHeader(endpoint.authentication, [...at, 'endpoint', 'authentication'], scope)
      : undefined;
    if (auth) headerEntries.push(`"authorization": ${auth}`);
    if (headers && headerEntries.length > 0)
      headers = `$merge([${headers}, {${headerEntries.join(', ')}}])`;
    else if (headerEntries.length > 0) headers = `{${headerEntries.join(', ')}}`;
    const parts: HttpParts = { method, url };
    if (headers) parts.headers = headers;
    if (w.body !== undefined) parts.body = this.value(w.body, [...at, 'body'], scope);
    return parts;
  }

  private withQuery(url: string, literal: string, query: string): string {
    const q = this.fresh();
    const sep = literal.includes('?') ? '&' : '?';
    return `(${q} := ${query}; ${url} & ($count($keys(${q})) > 0 ? "${sep}" & $join($each(${q}, function($v, $k) { $encodeUrlComponent($k) & "=" & $encodeUrlComponent($string($v)) }), "&") : ""))`;
  }

  private authHeader(auth: Json, at: Path, scope: JqScope): string | undefined {
    if (auth === undefined) return undefined;
    let policy: Json = auth;
    if (isObject(auth) && typeof auth.use === 'string') {
      policy = this.uses.authentications?.[auth.use];
      if (policy === undefined) {
        this.error('WEFT084', `no authentication "${auth.use}" under use.authentications`, [
          ...at,
          'use',
        ]);
        return undefined;
      }
    }
    if (isObject(policy) && isObject(policy.basic)) {
      const b = policy.basic;
      const u = this.value(b.username, [...at, 'basic', 'username'], scope);
      const p = this.value(b.password, [...at, 'basic', 'password'], scope);
      return `"Basic " & $base64encode(${u} & ":" & ${p})`;
    }
    if (isObject(policy) && isObject(policy.bearer)) {
      return `"Bearer " & ${this.value(policy.bearer.token, [...at, 'bearer', 'token'], scope)}`;
    }
    this.unsupported('only basic and bearer authentication are supported', at);
    return undefined;
  }

  private openapiParts(w: Record<string, Json>, at: Path, scope: JqScope): HttpParts | undefined {
    for (const key of Object.keys(w)) {
      if (
        !['document', 'operationId', 'parameters', 'authentication', 'output', 'redirect'].includes(
          key,
        )
      ) {
        this.error('WEFT084', `unknown key "${key}" in an openapi call`, [...at, key]);
      }
    }
    const document = w.document;
    const url = isObject(document)
      ? typeof document.endpoint === 'string'
        ? document.endpoint
        : isObject(document.endpoint)
          ? document.endpoint.uri
          : undefined
      : undefined;
    if (typeof url !== 'string') {
      this.error('WEFT084', "`document.endpoint` must give the OpenAPI document's URI", [
        ...at,
        'document',
      ]);
      return undefined;
    }
    const read = this.options.openapi?.(url);
    if (!read?.doc) {
      this.error(
        'WEFT083',
        `the OpenAPI document ${url} could not be read${read?.error ? `: ${read.error}` : ' (it is read when the flow is loaded from a file)'}`,
        [...at, 'document'],
      );
      return undefined;
    }
    const opId = w.operationId;
    const op = typeof opId === 'string' ? findOperation(read.doc, opId, url) : undefined;
    if (!op) {
      this.error('WEFT083', `the OpenAPI document ${url} has no operation "${String(opId)}"`, [
        ...at,
        'operationId',
      ]);
      return undefined;
    }
    return this.operationParts(op, w, at, scope);
  }

  private operationParts(
    op: OpenApiOperation,
    w: Record<string, Json>,
    at: Path,
    scope: JqScope,
  ): HttpParts {
    const params = isObject(w.parameters) ? w.parameters : {};
    const value = (name: string) =>
      params[name] === undefined
        ? undefined
        : this.value(params[name], [...at, 'parameters', name], scope);
    let url = this.uriTemplate(
      this.rewrite(op.baseUrl) + op.path,
      scope,
      (name) => value(name) ?? 'null',
    );
    const query = op.parameters.filter((p) => p.in === 'query' && params[p.name] !== undefined);
    if (query.length > 0) {
      const q = `{${query.map((p) => `${JSON.stringify(p.name)}: ${value(p.name)}`).join(', ')}}`;
      url = this.withQuery(url, op.path, q);
    }
    const headerParams = op.parameters.filter(
      (p) => p.in === 'header' && params[p.name] !== undefined,
    );
    const entries = headerParams.map((p) => `${JSON.stringify(p.name)}: $string(${value(p.name)})`);
    const auth = this.authHeader(w.authentication, [...at, 'authentication'], scope);
    if (auth) entries.push(`"authorization": ${auth}`);
    const parts: HttpParts = { method: op.method.toUpperCase(), url };
    if (entries.length > 0) parts.headers = `{${entries.join(', ')}}`;
    const bodyParam = op.parameters.find((p) => p.in === 'body');
    const body = bodyParam ? value(bodyParam.name) : op.hasRequestBody ? value('body') : undefined;
    if (body) parts.body = body;
    return parts;
  }

  // ---- composite tasks ---------------------------------------------------------------------------

  private fork(
    def: Record<string, Json>,
    path: Path,
    id: string,
    ctx: Ctx,
  ): { steps: Step[]; raw?: string } {
    const fork = def.fork;
    const at: Path = [...path, 'fork'];
    if (!isObject(fork) || !Array.isArray(fork.branches)) {
      this.error('WEFT084', '`fork` needs `branches`, a list of tasks', at);
      return { steps: [] };
    }
    const compete = fork.compete === true;
    const branches: Record<string, Step[]> = {};
    const slots: string[] = [];
    fork.branches.forEach((entry, i) => {
      const name = isObject(entry) ? Object.keys(entry)[0] : undefined;
      const task = name !== undefined && isObject(entry) ? entry[name] : undefined;
      if (name === undefined || !isObject(task)) {
        this.error('WEFT084', 'each branch is one `name: task` mapping', [...at, 'branches', i]);
        return;
      }
      const slot = `${ctx.slot}_${this.slots++}`;
      slots.push(slot);
      const inner: Ctx = { ...ctx, slot };
      const steps: Step[] = [
        {
          id: `${stepIdOf([...at, 'branches', i, name])}:input`,
          set: { [slot]: tpl(`vars.${ctx.slot}`) },
        },
        ...this.task(name, task, [...at, 'branches', i, name], inner),
      ];
      if (compete)
        steps.push({
          id: `${stepIdOf([...at, 'branches', i, name])}:won`,
          set: { [ctx.slot]: tpl(`vars.${slot}`) },
        });
      branches[name] = steps;
    });
    const steps: Step[] = [{ id, parallel: { branches, mode: compete ? 'race' : 'all' } }];
    if (compete) return { steps };
    return {
      steps,
      raw: arrayOf(
        slots.map((s) => `vars.${s}`),
        () => this.fresh(),
      ),
    };
  }

  private forTask(
    def: Record<string, Json>,
    path: Path,
    id: string,
    ctx: Ctx,
  ): { steps: Step[]; raw?: string } {
    const f = def.for;
    const at: Path = [...path, 'for'];
    if (!isObject(f) || f.in === undefined) {
      this.error('WEFT084', '`for` needs `in` (and optionally `each`, `at`)', at);
      return { steps: [] };
    }
    if (def.while !== undefined) {
      this.unsupported('`for.while` is not supported: a Weft forEach cannot stop early', [
        ...path,
        'while',
      ]);
    }
    const each = typeof f.each === 'string' ? f.each : 'item';
    const index = typeof f.at === 'string' ? f.at : 'index';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(each)) {
      this.error('WEFT084', '`for.each` must be an identifier', [...at, 'each']);
    }
    const list = this.exprField(f.in, [...at, 'in'], this.scope(ctx));
    const inner: Ctx = { ...ctx, vars: { ...ctx.vars, [each]: each, [index]: 'index' } };
    const steps = this.doList(def.do, [...path, 'do'], inner);
    return { steps: [{ id, forEach: tpl(list), as: each, steps }] };
  }

  private tryTask(
    def: Record<string, Json>,
    path: Path,
    id: string,
    ctx: Ctx,
  ): { steps: Step[]; raw?: string } {
    const tried = this.doList(def.try, [...path, 'try'], ctx);
    const c = def.catch;
    const at: Path = [...path, 'catch'];
    if (!isObject(c)) {
      this.error(
        'WEFT084',
        '`catch` must be a mapping (errors, as, when, exceptWhen, retry, do)',
        at,
      );
      return { steps: [] };
    }
    for (const key of Object.keys(c)) {
      if (!['errors', 'as', 'when', 'exceptWhen', 'retry', 'do'].includes(key)) {
        this.error('WEFT084', `unknown key "${key}" in catch`, [...at, key]);
      }
    }
    const asName = typeof c.as === 'string' ? c.as : 'error';
    const errVar = `${ctx.slot}_err${this.slots++}`;
    const inner: Ctx = { ...ctx, vars: { ...ctx.vars, [asName]: `vars.${errVar}` } };
    const scope = this.scope(inner);
    const conditions: string[] = [];
    const filter = isObject(c.errors) ? c.errors.with : undefined;
    if (isObject(filter)) {
      for (const [k, v] of Object.entries(filter)) {
        const field = `vars.${errVar}.${k}`;
        const value = this.value(v, [...at, 'errors', 'with', k], this.scope(ctx));
        conditions.push(
          k === 'type'
            ? `(${field} = ${value} or $split(${field}, "/")[-1] = $split(${value}, "/")[-1])`
            : `${field} = ${value}`,
        );
      }
    }
    if (c.when !== undefined)
      conditions.push(truthy(this.exprField(c.when, [...at, 'when'], scope)));
    if (c.exceptWhen !== undefined) {
      conditions.push(
        `$not(${truthy(this.exprField(c.exceptWhen, [...at, 'exceptWhen'], scope))})`,
      );
    }
    if (c.retry !== undefined) this.applyRetry(c.retry, [...at, 'retry'], tried);
    const handler = c.do !== undefined ? this.doList(c.do, [...at, 'do'], inner) : [];
    const catchSteps: Step[] = [{ id: `${id}:error`, set: { [errVar]: tpl(owsError('caught')) } }];
    if (conditions.length > 0) {
      catchSteps.push({
        id: `${id}:match`,
        if: tpl(conditions.join(' and ')),
        then:
          handler.length > 0
            ? handler
            : [{ id: `${id}:caught`, set: { [errVar]: tpl(`vars.${errVar}`) } }],
        else: [
          {
            id: `${id}:rethrow`,
            fail: {
              error: OWS_ERROR,
              message: tpl(`$string(vars.${errVar}.title)`),
              details: tpl(`vars.${errVar}`),
            },
          },
        ],
      });
    } else catchSteps.push(...handler);
    return { steps: [{ id, try: tried, catch: [{ as: 'caught', steps: catchSteps }] }] };
  }

  /** A catch's retry policy becomes the Temporal retry policy of the activity steps it guards. */
  private applyRetry(retry: Json, at: Path, steps: Step[]): void {
    let policy: Json = retry;
    if (typeof retry === 'string') {
      policy = this.uses.retries?.[retry];
      if (policy === undefined) {
        this.error('WEFT084', `no retry policy "${retry}" under use.retries`, at);
        return;
      }
    }
    if (!isObject(policy)) return;
    const r: Record<string, unknown> = {};
    for (const key of Object.keys(policy)) {
      if (key === 'delay') {
        const ms = this.duration(policy.delay, [...at, 'delay']);
        if (ms !== undefined) r.initialInterval = ms;
      } else if (key === 'backoff') {
        const b = policy.backoff;
        if (isObject(b) && b.exponential !== undefined) r.backoffCoefficient = 2;
        else if (isObject(b) && b.constant !== undefined) r.backoffCoefficient = 1;
        else
          this.unsupported('only constant and exponential backoff are supported', [
            ...at,
            'backoff',
          ]);
      } else if (key === 'limit') {
        const l = policy.limit;
        const count = isObject(l) && isObject(l.attempt) ? l.attempt.count : undefined;
        if (typeof count === 'number') r.maximumAttempts = count + 1;
        if (
          isObject(l) &&
          (l.duration !== undefined || (isObject(l.attempt) && l.attempt.duration !== undefined))
        ) {
          this.unsupported('retry duration limits are not supported; use attempt.count', [
            ...at,
            'limit',
          ]);
        }
      } else {
        this.unsupported(
          `\`retry.${key}\` is not supported (delay, backoff and limit.attempt.count are)`,
          [...at, key],
        );
      }
    }
    let found = false;
    const walk = (list: unknown): void => {
      if (!Array.isArray(list)) return;
      for (const s of list as Step[]) {
        if (s.activity !== undefined) {
          s.retry = { ...r };
          found = true;
        }
        for (const v of Object.values(s)) {
          if (Array.isArray(v)) walk(v);
          else if (isObject(v)) for (const w of Object.values(v)) walk(w);
        }
      }
    };
    walk(steps);
    if (!found) this.unsupported('a retry policy needs a call task inside `try` to retry', at);
  }

  private raise(def: Record<string, Json>, path: Path, id: string, ctx: Ctx): Step[] {
    const r = def.raise;
    const at: Path = [...path, 'raise', 'error'];
    let error = isObject(r) ? r.error : undefined;
    if (typeof error === 'string') {
      const named = this.uses.errors?.[error];
      if (named === undefined) {
        this.error('WEFT084', `no error "${error}" under use.errors`, at);
        return [];
      }
      error = named;
    }
    if (!isObject(error) || error.type === undefined || error.status === undefined) {
      this.error('WEFT084', '`raise.error` needs at least `type` and `status`', at);
      return [];
    }
    const full = { ...error };
    if (full.instance === undefined) full.instance = pointerOf(path);
    const obj = this.value(full, at, this.scope(ctx));
    const type =
      typeof error.type === 'string' && !stripRuntimeExpression(error.type)
        ? error.type
        : OWS_ERROR;
    const e = this.fresh();
    return [
      {
        id,
        fail: {
          error: type,
          message: tpl(`(${e} := ${obj}; $string(${e}.title ? ${e}.title : ${e}.type))`),
          details: tpl(obj),
        },
      },
    ];
  }

  private emit(
    def: Record<string, Json>,
    path: Path,
    id: string,
    ctx: Ctx,
  ): { steps: Step[]; raw?: string } {
    const e = def.emit;
    const props = isObject(e) && isObject(e.event) ? e.event.with : undefined;
    const at: Path = [...path, 'emit', 'event', 'with'];
    if (!isObject(props) || props.type === undefined || props.source === undefined) {
      this.error('WEFT084', '`emit.event.with` needs at least `source` and `type`', at);
      return { steps: [] };
    }
    const out = `${ctx.slot}_out`;
    const event = this.value(props, at, this.scope(ctx));
    const ptr = JSON.stringify(pointerOf(path));
    const defaults = `{"id": workflow.runId & ${ptr}, "specversion": "1.0", "time": workflow.now}`;
    return {
      steps: [
        { id: `${id}:event`, set: { [out]: tpl(`$merge([${defaults}, ${event}])`) } },
        { id, log: tpl(`"emit " & $string(vars.${out})`) },
      ],
      raw: `vars.${out}`,
    };
  }

  private listen(
    def: Record<string, Json>,
    path: Path,
    id: string,
    ctx: Ctx,
  ): { steps: Step[]; raw?: string } {
    const l = def.listen;
    const at: Path = [...path, 'listen'];
    if (def.foreach !== undefined)
      this.unsupported('`listen.foreach` is not supported', [...path, 'foreach']);
    if (!isObject(l) || !isObject(l.to)) {
      this.error('WEFT084', '`listen.to` needs one, all or any', at);
      return { steps: [] };
    }
    for (const key of Object.keys(l)) {
      if (key !== 'to') this.unsupported(`\`listen.${key}\` is not supported`, [...at, key]);
    }
    const to = l.to;
    const filters: { filter: Json; at: Path }[] = [];
    let mode: 'one' | 'all' | 'any' = 'one';
    if (to.one !== undefined) filters.push({ filter: to.one, at: [...at, 'to', 'one'] });
    else if (Array.isArray(to.all)) {
      mode = 'all';
      to.all.forEach((f, i) => {
        filters.push({ filter: f, at: [...at, 'to', 'all', i] });
      });
    } else if (Array.isArray(to.any) && to.any.length > 0) {
      mode = 'any';
      to.any.forEach((f, i) => {
        filters.push({ filter: f, at: [...at, 'to', 'any', i] });
      });
    } else {
      this.unsupported('`listen.to` must be one, all, or a non-empty any', [...at, 'to']);
      return { steps: [] };
    }
    if (to.until !== undefined)
      this.unsupported('`listen.to.until` is not supported', [...at, 'to', 'until']);
    const waits: { signal: string; out: string }[] = [];
    for (const { filter, at: fat } of filters) {
      const type = isObject(filter) && isObject(filter.with) ? filter.with.type : undefined;
      if (typeof type !== 'string' || stripRuntimeExpression(type)) {
        this.unsupported(
          'an event filter must match on a literal `with.type` (it names the signal)',
          fat,
        );
        continue;
      }
      const others =
        isObject(filter) && isObject(filter.with)
          ? Object.keys(filter.with).filter((k) => k !== 'type')
          : [];
      if (others.length > 0 || (isObject(filter) && filter.correlate !== undefined)) {
        this.unsupported('event filters match on `type` only (the signal name)', fat);
      }
      const signal = signalName(type);
      this.signals.add(signal);
      waits.push({ signal, out: `${ctx.slot}_ev${this.slots++}` });
    }
    if (mode === 'any') {
      const branches = Object.fromEntries(
        waits.map((w, i) => [
          `e${i}`,
          [
            { id: `${id}:${i}`, wait: { signal: w.signal }, result: w.out },
            { id: `${id}:${i}:got`, set: { [`${ctx.slot}_out`]: tpl(`[vars.${w.out}]`) } },
          ],
        ]),
      );
      return { steps: [{ id, parallel: { branches, mode: 'any' } }], raw: `vars.${ctx.slot}_out` };
    }
    const steps: Step[] = waits.map((w, i) => ({
      id: i === 0 ? id : `${id}:${i}`,
      wait: { signal: w.signal },
      result: w.out,
    }));
    return { steps, raw: `[${waits.map((w) => `vars.${w.out}`).join(', ')}]` };
  }

  // ---- durations ---------------------------------------------------------------------------------

  /** An OWS duration (ISO 8601 text or {days, hours, minutes, seconds, milliseconds}) in ms. */
  private duration(v: Json, at: Path): number | undefined {
    if (typeof v === 'string') {
      const m =
        /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
          v,
        );
      if (m && v !== 'P' && v !== 'PT') {
        const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0)) as [
          number,
          number,
          number,
          number,
        ];
        return Math.round(((d * 24 + h) * 60 + min) * 60_000 + s * 1000);
      }
    } else if (isObject(v)) {
      const units: Record<string, number> = {
        days: 86_400_000,
        hours: 3_600_000,
        minutes: 60_000,
        seconds: 1000,
        milliseconds: 1,
      };
      let ms = 0;
      let ok = Object.keys(v).length > 0;
      for (const [k, n] of Object.entries(v)) {
        if (!(k in units) || typeof n !== 'number') ok = false;
        else ms += n * (units[k] as number);
      }
      if (ok) return ms;
    }
    this.error(
      'WEFT084',
      'a duration is an ISO 8601 duration (PT5S) or {days, hours, minutes, seconds, milliseconds}',
      at,
    );
    return undefined;
  }
}

interface HttpParts {
  method: string;
  url: string;
  headers?: string;
  body?: string;
}

/** jq's truth (only false and null are false) around a JSONata condition. */
function truthy(x: string): string {
  return `($c := ${x}; $exists($c) and $c != null and $c != false)`;
}

/** A signal name from an event type: characters the name pattern refuses become `_`. */
export function signalName(type: string): string {
  const s = type.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/** A Weft error (bound as `name`) as an OWS error {type, status, title, detail, instance}. */
function owsError(name: string): string {
  const instance = `"/" & $replace($substringBefore(${name}.step, ":"), ".", "/")`;
  return `($d := ${name}.details; $exists($d.type) and $exists($d.status) ? $d : $substring(${name}.type, 0, 4) = "Http" ? {"type": "${COMMUNICATION}", "status": $exists($d.status) ? $d.status : 503, "title": ${name}.message, "instance": ${instance}} : ${name}.type = "Timeout" ? {"type": "${TIMEOUT}", "status": 408, "title": ${name}.message, "instance": ${instance}} : {"type": "${RUNTIME}", "status": 500, "title": ${name}.type, "detail": ${name}.message, "instance": ${instance}})`;
}
