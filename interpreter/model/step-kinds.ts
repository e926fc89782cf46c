import type { StepKind } from './types';

/**
 * One descriptor per step kind: where its nested step lists live, the defaults the compiler
 * fills in, how the compiler builds its compiled form, and how the designer shows it. The id
 * assigner and the step walkers (ids.ts), the compiler (dsl/compile.ts), the designer's graph
 * and palette read this table instead of restating each kind's structure.
 *
 * Adding a step kind touches:
 *   1. schema/flow.schema.json: `$defs/<kind>Step`, listed in `$defs/step`;
 *   2. types.ts: its Step and CompiledStep members and its key in STEP_KINDS
 *      (test/unit/model/types-agree.test.ts holds them to the schema);
 *   3. this table: its descriptor;
 *   4. workflow/steps/<kind>.ts and its line in EXECUTORS (typed by StepKind, so a missing
 *      executor is a type error);
 * and nothing else. test/unit/model/step-kinds.test.ts checks that the schema, this table and
 * the executor table name the same kinds, and that the schema states every default below.
 */

/** In a list path: every key of the map (or every index of the array) at that place. */
export const EACH = '*';

/** Where one nested step list (or, through EACH, a family of them) lives in a step. */
export interface ChildListSpec {
  /** Path from the step as written to the list: `['then']`, `['catch', EACH, 'steps']`. */
  source: readonly string[];
  /**
   * Path from the compiled step to the list: one key (`['then']`), or a key, EACH and what
   * follows EACH in `source` (`['branches', EACH]` for parallel, `['catch', EACH, 'steps']`).
   */
  compiled: readonly string[];
  /**
   * An absent list is an empty one (the compiled step holds `[]`, the canvas draws an empty
   * branch to drop steps into), except `'none'`: no list at all (omitted when compiled, not drawn).
   */
  whenAbsent?: 'empty' | 'none';
  /**
   * With EACH at a list of objects (`catch`): the members each compiled object gets when the
   * written one has none.
   */
  eachDefaults?: Readonly<Record<string, unknown>>;
  /** The canvas's branch label; `key` is EACH's key, `owner` the value there (a catch clause). */
  label: string | ((key: string, owner: unknown) => string);
}

/**
 * How the compiled step's own members (besides `id`, `kind`, `name`, `when`, `result` and its
 * child lists) are made from the written step:
 * - `copy`: the written step's own members, as written;
 * - `unwrap`: the members of the object under the kind's key (`parallel: {mode, branches}`);
 * - a function of the written step: a pure reshaping (`sleep`);
 * - `compiler`: the compiler's own code, because it needs more than the step (the activity
 *   manifest and the flow's `defaults`, child flow files); dsl/compile.ts has one hook per such
 *   kind, typed so that a missing hook is a type error.
 */
export type CompileShape =
  | 'copy'
  | 'unwrap'
  | 'compiler'
  | ((step: Record<string, unknown>) => Record<string, unknown>);

export interface StepKindDescriptor {
  key: StepKind;
  /** Nested step lists, in document order (the order ids are walked and branches drawn). */
  children: readonly ChildListSpec[];
  compile: CompileShape;
  /** The compiled step's members besides the common ones (every member it can have). */
  compiledKeys: readonly string[];
  /** Members the compiled step gets when the written step leaves them out. */
  defaults: Readonly<Record<string, unknown>>;
  /** Designer: the palette's name, a one-line description and the node's icon. */
  label: string;
  description: string;
  icon: string;
  /** Designer: the step the palette inserts (activities come from the manifest instead). */
  template?: Readonly<Record<string, unknown>>;
  /**
   * Designer: the one line under the node's label that says what the step does; without it,
   * the value under the kind's key, shortened (see stepSummary).
   */
  summary?: (step: Record<string, unknown>) => string | undefined;
}

/**
 * Temporal needs startToClose or scheduleToClose on every activity call; when neither is set on
 * the step (or its `compensate`), in the flow's `defaults` or by the plugin, the compiler sets
 * this one, so every compiled call carries one (the interpreter's own fallback uses it too).
 */
export const DEFAULT_START_TO_CLOSE = '1m';

const e = (body: string): string => `\${ ${body} }`;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

/** A value as at most 60 characters of text, for a node's summary line. */
export function shortText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

export const STEP_KIND_TABLE = {
  activity: {
    key: 'activity',
    children: [],
    compile: 'compiler',
    compiledKeys: ['activity', 'args', 'compensate', 'external', 'input', 'options'],
    // Its one default is an option, not a member: DEFAULT_START_TO_CLOSE.
    defaults: {},
    label: 'activity',
    description: 'Call an activity',
    icon: '⚙',
  },
  if: {
    key: 'if',
    children: [
      { source: ['then'], compiled: ['then'], label: 'then' },
      { source: ['else'], compiled: ['else'], label: 'else' },
    ],
    compile: 'copy',
    compiledKeys: ['if', 'then', 'else'],
    defaults: {},
    label: 'if',
    description: 'Branch on a condition',
    icon: '◇',
    template: { if: e('true'), then: [], else: [] },
  },
  switch: {
    key: 'switch',
    children: [
      { source: ['cases', EACH], compiled: ['cases', EACH], label: (k) => `case ${k}` },
      { source: ['default'], compiled: ['default'], label: 'default' },
    ],
    compile: 'copy',
    compiledKeys: ['switch', 'cases', 'default'],
    defaults: {},
    label: 'switch',
    description: 'Branch on a value',
    icon: '⑂',
    template: { switch: e('input.kind'), cases: { a: [] }, default: [] },
  },
  parallel: {
    key: 'parallel',
    children: [
      {
        source: ['parallel', 'branches', EACH],
        compiled: ['branches', EACH],
        label: (k) => k,
      },
    ],
    compile: 'unwrap',
    compiledKeys: ['mode', 'branches'],
    defaults: { mode: 'all' },
    label: 'parallel',
    description: 'Run branches at once',
    summary: (s) => {
      const mode = rec(s.parallel).mode;
      return `mode: ${typeof mode === 'string' ? mode : 'all'}`;
    },
    icon: '⫴',
    template: { parallel: { branches: { a: [], b: [] }, mode: 'all' } },
  },
  forEach: {
    key: 'forEach',
    children: [{ source: ['steps'], compiled: ['steps'], label: 'each' }],
    compile: 'copy',
    compiledKeys: ['forEach', 'as', 'concurrency', 'steps'],
    // One item at a time unless `concurrency` says otherwise; the item is `item` in expressions.
    defaults: { as: 'item', concurrency: 1 },
    label: 'forEach',
    description: 'Repeat for each item',
    icon: '↻',
    template: { forEach: e('input.items'), as: 'item', steps: [] },
  },
  while: {
    key: 'while',
    children: [{ source: ['steps'], compiled: ['steps'], label: 'loop' }],
    compile: 'copy',
    compiledKeys: ['while', 'maxIterations', 'steps'],
    // Beyond this many iterations the step fails with MaxIterations.
    defaults: { maxIterations: 1000 },
    label: 'while',
    description: 'Repeat while true',
    icon: '⟳',
    template: { while: e('false'), maxIterations: 10, steps: [] },
  },
  sleep: {
    key: 'sleep',
    children: [],
    compile: (s) => (isRecord(s.sleep) ? { until: s.sleep.until } : { duration: s.sleep }),
    compiledKeys: ['duration', 'until'],
    defaults: {},
    label: 'sleep',
    description: 'Wait for a duration',
    icon: '⏱',
    template: { sleep: '1s' },
  },
  wait: {
    key: 'wait',
    children: [
      {
        source: ['wait', 'onTimeout'],
        compiled: ['onTimeout'],
        whenAbsent: 'none',
        label: 'onTimeout',
      },
    ],
    compile: 'unwrap',
    compiledKeys: ['signal', 'condition', 'timeout', 'onTimeout'],
    defaults: {},
    label: 'wait',
    description: 'Wait for a signal or condition',
    summary: (s) => {
      const w = rec(s.wait);
      const parts = [
        w.signal !== undefined ? `signal ${shortText(w.signal)}` : undefined,
        w.condition !== undefined ? shortText(w.condition) : undefined,
        w.timeout !== undefined ? `timeout ${shortText(w.timeout)}` : undefined,
      ];
      return parts.filter((p) => p !== undefined).join(', ');
    },
    icon: '⏸',
    template: { wait: { signal: 'go', timeout: '1h' } },
  },
  set: {
    key: 'set',
    children: [],
    compile: 'copy',
    compiledKeys: ['set'],
    defaults: {},
    label: 'set',
    description: 'Set variables',
    summary: (s) => (isRecord(s.set) ? Object.keys(s.set).join(', ') : undefined),
    icon: '≔',
    template: { set: { value: 1 } },
  },
  try: {
    key: 'try',
    children: [
      { source: ['try'], compiled: ['try'], label: 'try' },
      {
        source: ['catch', EACH, 'steps'],
        compiled: ['catch', EACH, 'steps'],
        // The caught error's name in expressions.
        eachDefaults: { as: 'error' },
        label: (_, clause) => {
          const errors = isRecord(clause) ? clause.errors : undefined;
          return Array.isArray(errors) ? `catch ${errors.join(', ')}` : 'catch';
        },
      },
      { source: ['finally'], compiled: ['finally'], label: 'finally' },
    ],
    compile: 'copy',
    compiledKeys: ['try', 'catch', 'finally'],
    defaults: {},
    label: 'try',
    description: 'Catch failures',
    summary: () => undefined,
    icon: '⛨',
    template: { try: [], catch: [{ steps: [] }] },
  },
  flow: {
    key: 'flow',
    children: [],
    compile: 'compiler',
    compiledKeys: ['flow', 'parentClosePolicy', 'input', 'workflowId'],
    defaults: { parentClosePolicy: 'terminate' },
    label: 'flow',
    description: 'Run a child flow',
    icon: '⧉',
    template: { flow: 'child' },
  },
  log: {
    key: 'log',
    children: [],
    compile: 'copy',
    compiledKeys: ['log'],
    defaults: {},
    label: 'log',
    description: 'Write a log line',
    icon: '✎',
    template: { log: 'hello' },
  },
  fail: {
    key: 'fail',
    children: [],
    compile: 'unwrap',
    compiledKeys: ['error', 'message', 'details'],
    defaults: {},
    label: 'fail',
    description: 'Fail the flow',
    summary: (s) => shortText(rec(s.fail).error),
    icon: '✖',
    template: { fail: { error: 'Failed', message: 'why it failed' } },
  },
  return: {
    key: 'return',
    children: [],
    compile: 'copy',
    compiledKeys: ['return'],
    defaults: {},
    label: 'return',
    description: 'Finish with an output',
    icon: '⏎',
    template: { return: e('vars') },
  },
} as const satisfies { readonly [K in StepKind]: StepKindDescriptor & { key: K } };

/** A kind's descriptor, as the general type (the table itself keeps each one's literal type). */
export function stepKind(kind: StepKind): StepKindDescriptor {
  return STEP_KIND_TABLE[kind];
}

/** The designer's one-line summary of a written step of kind `kind`. */
export function stepSummary(kind: StepKind, step: Record<string, unknown>): string | undefined {
  const summary = stepKind(kind).summary;
  return summary ? summary(step) : shortText(step[kind]);
}

/** The kinds whose compiled form the compiler builds itself (see CompileShape). */
export type CompilerBuiltKind = {
  [K in StepKind]: (typeof STEP_KIND_TABLE)[K]['compile'] extends 'compiler' ? K : never;
}[StepKind];

/** One nested step list found in a step: its path from the step, and the list (if present). */
export interface FoundList {
  /** Path from the step to the list, EACH replaced by the key or index. */
  path: (string | number)[];
  /** The list as written; undefined when its key is absent. */
  list: unknown;
  /** The spec it comes from, and EACH's key and owner for a family of lists. */
  spec: ChildListSpec;
  key: string;
  owner: unknown;
}

/**
 * The nested step lists of a written step of kind `kind`, in document order. A list whose key is
 * absent is included (with `list` undefined) unless its spec says `whenAbsent: 'none'`; a family
 * (EACH) has one entry per key present. Works on unvalidated input: anything of the wrong shape
 * on the way is treated as absent.
 */
export function childListsOf(kind: StepKind, step: Record<string, unknown>): FoundList[] {
  const out: FoundList[] = [];
  for (const spec of stepKind(kind).children) findLists(step, spec, 0, [], '', step, out);
  return out;
}

function findLists(
  at: unknown,
  spec: ChildListSpec,
  i: number,
  path: (string | number)[],
  key: string,
  owner: unknown,
  out: FoundList[],
): void {
  if (i === spec.source.length) {
    if (at === undefined && spec.whenAbsent === 'none') return;
    out.push({ path, list: at, spec, key, owner });
    return;
  }
  const token = spec.source[i]!;
  if (token === EACH) {
    if (Array.isArray(at)) {
      at.forEach((v, n) => {
        findLists(v, spec, i + 1, [...path, n], String(n), v, out);
      });
    } else if (isRecord(at)) {
      for (const [k, v] of Object.entries(at)) findLists(v, spec, i + 1, [...path, k], k, v, out);
    }
    return;
  }
  // Only the list's own key may be absent: a missing or malformed parent (`wait: 5`) holds none.
  if (!isRecord(at)) return;
  findLists(at[token], spec, i + 1, [...path, token], key, owner, out);
}

/** The step lists nested directly in a compiled step, in document order. */
export function compiledListsOf(step: { kind: StepKind }): unknown[][] {
  const out: unknown[][] = [];
  for (const spec of stepKind(step.kind).children) collect(step, spec.compiled, 0, out);
  return out;
}

function collect(at: unknown, path: readonly string[], i: number, out: unknown[][]): void {
  if (i === path.length) {
    if (Array.isArray(at)) out.push(at);
    return;
  }
  const token = path[i]!;
  if (token === EACH) {
    if (Array.isArray(at)) for (const v of at) collect(v, path, i + 1, out);
    else if (isRecord(at)) for (const v of Object.values(at)) collect(v, path, i + 1, out);
    return;
  }
  if (isRecord(at)) collect(at[token], path, i + 1, out);
}

/** The canvas label of a found list. */
export function listLabel(found: FoundList): string {
  const l = found.spec.label;
  return typeof l === 'string' ? l : l(found.key, found.owner);
}
