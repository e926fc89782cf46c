import type {
  ActivityManifest,
  ActivityManifestEntry,
  ActivityOptionsSpec,
  ChildListSpec,
  CompiledActivityOptions,
  CompiledFlow,
  CompiledSignal,
  CompiledStep,
  CompiledUpdate,
  CompilerBuiltKind,
  RetryPolicy,
  Timeouts,
} from '../model';
import {
  DEFAULT_START_TO_CLOSE,
  describeOverLimit,
  EACH,
  escapeSegment,
  PAYLOAD_LIMIT_BYTES,
  PAYLOAD_OVERHEAD_BYTES,
  pointerToId,
  STEP_KIND_TABLE,
  STEP_KINDS,
  stepKind,
  stepKindOf,
  toPointer,
} from '../model';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostics';
import { canonicalJson, sha256Hex } from './hash';
import { type ParsedFlow, parseFlowText } from './parse';
import { dirname, join } from './paths';
import { createReporter, type Report } from './report';
import { isFlowFileReference } from './rules';
import { validateFlow } from './validate';

/**
 * Defaults the compiler fills in, so the interpreter never guesses. Each one is read from its
 * home, the step-kind table (model/step-kinds.ts); this is a summary under the names it had.
 */
export const COMPILE_DEFAULTS = {
  startToClose: DEFAULT_START_TO_CLOSE,
  concurrency: STEP_KIND_TABLE.forEach.defaults.concurrency,
  maxIterations: STEP_KIND_TABLE.while.defaults.maxIterations,
  as: STEP_KIND_TABLE.forEach.defaults.as,
  catchAs: STEP_KIND_TABLE.try.children[1].eachDefaults.as,
  parallelMode: STEP_KIND_TABLE.parallel.defaults.mode,
  parentClosePolicy: STEP_KIND_TABLE.flow.defaults.parentClosePolicy,
} as const;

export interface CompileOptions {
  manifest?: ActivityManifest;
  /** Path of the root flow file; child flow files are resolved relative to its folder. */
  file?: string;
  /**
   * Reads a child flow file (path joined onto the root file's folder); undefined when missing.
   * Node callers pass a file-system reader (see loadFlowFile); without it, file children fail.
   */
  readFile?: (path: string) => string | undefined;
  /** SHA-256 as hex; the pure JavaScript one by default (Node callers may pass a faster one). */
  sha256?: (data: Uint8Array) => string;
}

export interface CompileResult {
  compiled?: CompiledFlow;
  diagnostics: Diagnostic[];
}

type Rec = Record<string, unknown>;

/** Where a flow body sits: how its `flow:` steps resolve and where its problems are reported. */
interface Scope {
  /** Prefix of `flows:` children's keys in the flattened map. */
  prefix: string;
  /** Folder that relative child flow files resolve against. */
  dir: string;
  /** The body's own JSON pointer in its document ('' or `/flows/<name>`). */
  base: string;
  report: Report;
}
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The keys compiled objects can have, by kind of object, in sorted order. Compiled objects are
 * built in this order so that the content hash, canonical JSON with sorted keys, finds them
 * sorted already: copying 10,000 steps into sorted order was the largest cost of hashing a large
 * flow. A key missing here is still copied (after the others): the hash stays right, only
 * slower. `test/unit/dsl/examples.test.ts` checks that the compiled examples come out sorted.
 */
const COMMON_KEYS = ['id', 'kind', 'name', 'result', 'when'];
const STEP_ORDER = new Map<string | undefined, string[]>(
  STEP_KINDS.map((kind) => [kind, [...COMMON_KEYS, ...stepKind(kind).compiledKeys].sort()]),
);
/** Keys every written step may carry whatever its kind: not copied as the kind's own members. */
const WRITTEN_COMMON = new Set(['id', 'name', 'when', 'result']);
const CALL_ORDER = ['activity', 'args', 'external', 'input', 'options'];
const TIMEOUT_ORDER = ['heartbeat', 'scheduleToClose', 'scheduleToStart', 'startToClose'];
const RETRY_ORDER = [
  'backoffCoefficient',
  'initialInterval',
  'maximumAttempts',
  'maximumInterval',
  'nonRetryableErrorTypes',
];

/** `source`'s defined members in the given order, then any others it has. */
function inOrder(source: Rec, order: readonly string[]): Rec {
  const out: Rec = {};
  let copied = 0;
  for (const key of order) {
    const v = source[key];
    if (v === undefined) continue;
    out[key] = v;
    copied++;
  }
  let defined = 0;
  for (const key in source) if (source[key] !== undefined) defined++;
  if (copied < defined) {
    for (const key in source)
      if (source[key] !== undefined && !(key in out)) out[key] = source[key];
  }
  return out;
}

/** Layers' members merged into one object, later layers winning (a spread, without V8's slow path). */
function mergeInto(target: Rec | undefined, layer: object): Rec {
  const out = target ?? {};
  for (const key in layer) out[key] = (layer as Rec)[key];
  return out;
}

function mergeOptions(layers: (ActivityOptionsSpec | undefined)[]): CompiledActivityOptions {
  let taskQueue: string | undefined;
  let timeouts: Rec | undefined;
  let retry: Rec | undefined;
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.taskQueue !== undefined) taskQueue = layer.taskQueue;
    if (layer.timeouts) timeouts = mergeInto(timeouts, layer.timeouts);
    if (layer.retry) retry = mergeInto(retry, layer.retry);
  }
  timeouts ??= {};
  if (timeouts.startToClose === undefined && timeouts.scheduleToClose === undefined) {
    timeouts.startToClose = DEFAULT_START_TO_CLOSE;
  }
  const out: Rec = {};
  if (retry) out.retry = inOrder(retry, RETRY_ORDER);
  if (taskQueue !== undefined) out.taskQueue = taskQueue;
  out.timeouts = inOrder(timeouts, TIMEOUT_ORDER);
  return out as unknown as CompiledActivityOptions;
}

function pluginLayer(entry: ActivityManifestEntry | undefined): ActivityOptionsSpec | undefined {
  if (!entry) return undefined;
  if (entry.taskQueue === undefined) return entry.defaults;
  return { taskQueue: entry.taskQueue, ...entry.defaults };
}

/**
 * The option layers of a call, lowest first. An external activity runs only where its worker
 * polls, so the flow's default task queue (where Weft's own workers poll) never reaches it: its
 * declared queue sits above the flow defaults, and only the step itself overrides it.
 */
function callLayers(
  entry: ActivityManifestEntry | undefined,
  defaults: ActivityOptionsSpec | undefined,
  own: ActivityOptionsSpec,
): (ActivityOptionsSpec | undefined)[] {
  if (!entry?.external) return [pluginLayer(entry), defaults, own];
  const queue = entry.taskQueue === undefined ? undefined : { taskQueue: entry.taskQueue };
  return [entry.defaults, defaults, queue, own];
}

/** The calling convention members of a call to `entry` (none for plugin activities). */
function putConvention(out: Rec, entry: ActivityManifestEntry | undefined): void {
  if (!entry?.external) return;
  out.external = true;
  put(out, 'args', entry.external.args);
}

function pickOptions(v: Rec): ActivityOptionsSpec {
  const out: ActivityOptionsSpec = {};
  if (typeof v.taskQueue === 'string') out.taskQueue = v.taskQueue;
  if (isRec(v.timeouts)) out.timeouts = v.timeouts as Timeouts;
  if (isRec(v.retry)) out.retry = v.retry as RetryPolicy;
  return out;
}

/** Sets `key` only when the value is present, so compiled JSON carries no undefined members. */
function put<T extends object>(target: T, key: string, value: unknown): void {
  if (value !== undefined) (target as Rec)[key] = value;
}

/** What a step's compilation needs from its flow body. */
interface StepScope {
  defaults: ActivityOptionsSpec | undefined;
  scope: Scope;
}

type ListCompiler = (v: unknown, at: string) => CompiledStep[];

function getPath(v: unknown, path: readonly string[]): unknown {
  let at = v;
  for (const token of path) at = isRec(at) ? at[token] : undefined;
  return at;
}

/**
 * Puts the compiled lists that one child-list spec of the step table names into `own`, the
 * compiled step being built: `list` compiles each one with the pointer its ids derive from. An
 * absent list compiles to `[]`, or is left out when the spec says `whenAbsent: 'none'`; with EACH,
 * every key (index) of the written map (array) gets its entry, an object holding the list (a
 * catch clause) keeping its other members and getting the spec's `eachDefaults`.
 */
function placeLists(own: Rec, s: Rec, spec: ChildListSpec, at: string, list: ListCompiler): void {
  const each = spec.source.indexOf(EACH);
  const [key] = spec.compiled;
  const rest = each < 0 ? [] : spec.source.slice(each + 1);
  if (key === undefined || key === EACH || rest.length > 1)
    throw new Error('a list path is a key, or a key, EACH and at most one more key');
  if (each < 0) {
    const v = getPath(s, spec.source);
    if (Array.isArray(v) || spec.whenAbsent !== 'none')
      own[key] = list(v, at + toPointer(spec.source));
    else delete own[key];
    return;
  }
  const holder = getPath(s, spec.source.slice(0, each));
  const base = at + toPointer(spec.source.slice(0, each));
  const element = (v: unknown, k: string): unknown => {
    const pointer = `${base}/${escapeSegment(k)}`;
    if (rest.length === 0) return list(v, pointer);
    const written = isRec(v) ? v : {};
    const out: Rec = { ...spec.eachDefaults };
    for (const m in written) if (written[m] !== undefined) out[m] = written[m];
    out[rest[0]!] = list(getPath(written, rest), pointer + toPointer(rest));
    return inOrder(out, Object.keys(out).sort());
  };
  if (Array.isArray(holder)) {
    own[key] = holder.map((v, i) => element(v, String(i)));
  } else {
    const out: Rec = {};
    if (isRec(holder)) for (const [k, v] of Object.entries(holder)) out[k] = element(v, k);
    own[key] = out;
  }
}

/** State for compiling one document tree: the root plus every child flow it pulls in. */
class Compiler {
  readonly flows: Record<string, CompiledFlow> = {};
  readonly diagnostics: Diagnostic[] = [];
  private readonly manifest: Map<string, ActivityManifestEntry>;
  private readonly hash: (data: Uint8Array) => string;
  private readonly encoder = new TextEncoder();

  constructor(private readonly options: CompileOptions) {
    this.manifest = new Map((options.manifest?.activities ?? []).map((a) => [a.name, a]));
    this.hash = options.sha256 ?? sha256Hex;
  }

  /** UTF-8 bytes of the last flow sealed, as JSON with its hash: what travels in the input. */
  sealedBytes = 0;

  /** Finishes a compiled flow: hash of everything but the hash itself. */
  seal(flow: Omit<CompiledFlow, 'hash'>): CompiledFlow {
    const data = this.encoder.encode(canonicalJson(flow));
    const hash = `sha256:${this.hash(data)}`;
    // The hashed JSON is the flow without its `"hash":"sha256:…",` member (10 bytes + the hash).
    this.sealedBytes = data.length + hash.length + 10;
    return { ...flow, hash } as CompiledFlow;
  }

  /**
   * Compiles one flow body. `scope` says how its `flow:` steps resolve: names under `flows:` of
   * the document the body sits in (`prefix` + name in the flattened map), files relative to `dir`
   * (loaded as their steps are met, problems reported at `base` + the step's pointer).
   */
  body(name: string, body: Rec, header: { version?: unknown }, scope: Scope): CompiledFlow {
    const defaults = isRec(body.defaults) ? pickOptions(body.defaults) : undefined;
    const ctx = { defaults, scope };
    // `at` is the list's JSON pointer relative to the body; ids derive from it.
    const list = (v: unknown, at: string): CompiledStep[] =>
      Array.isArray(v) ? v.map((s, i) => this.step(s, `${at}/${i}`, ctx, list)) : [];

    const signals: Record<string, CompiledSignal> = {};
    if (isRec(body.signals)) {
      for (const [k, h] of Object.entries(body.signals)) {
        if (!isRec(h)) continue;
        const s: CompiledSignal = { steps: list(h.steps, `/signals/${escapeSegment(k)}/steps`) };
        put(s, 'input', h.input);
        put(s, 'set', h.set);
        signals[k] = s;
      }
    }
    const updates: Record<string, CompiledUpdate> = {};
    if (isRec(body.updates)) {
      for (const [k, h] of Object.entries(body.updates)) {
        if (!isRec(h)) continue;
        const u: CompiledUpdate = { steps: list(h.steps, `/updates/${escapeSegment(k)}/steps`) };
        put(u, 'input', h.input);
        put(u, 'set', h.set);
        put(u, 'validate', h.validate);
        put(u, 'output', h.output);
        updates[k] = u;
      }
    }
    const flow: Omit<CompiledFlow, 'hash'> = {
      weft: 1,
      flow: name,
      vars: isRec(body.vars) ? body.vars : {},
      options: isRec(body.options) ? body.options : {},
      queries: isRec(body.queries) ? (body.queries as Record<string, string>) : {},
      signals,
      updates,
      onCancel: list(body.onCancel, '/onCancel'),
      steps: list(body.steps, '/steps'),
      flows: {},
    };
    put(flow, 'version', header.version);
    put(flow, 'description', body.description);
    put(flow, 'input', body.input);
    put(flow, 'output', body.output);
    return flow as CompiledFlow;
  }

  step(
    raw: unknown,
    at: string,
    ctx: StepScope,
    list: (v: unknown, at: string) => CompiledStep[],
  ): CompiledStep {
    const s = isRec(raw) ? raw : {};
    const common: Rec = {
      id: typeof s.id === 'string' && s.id !== '' ? s.id : pointerToId(at),
    };
    put(common, 'name', s.name);
    put(common, 'when', s.when);
    put(common, 'result', s.result);
    const kind = stepKindOf(s);
    common.kind = kind;
    // Gathered in place, then copied once in key order: spreading objects of a dozen shapes
    // takes V8's slow path, and this runs once per step.
    const make = (rest: Rec) => {
      for (const key in rest) common[key] = rest[key];
      return inOrder(common, STEP_ORDER.get(kind) ?? COMMON_KEYS) as unknown as CompiledStep;
    };
    if (kind === undefined) {
      // Unreachable for validated input; kept total so a bug cannot produce undefined steps.
      return make({ log: null });
    }
    const d = stepKind(kind);
    let own: Rec;
    if (d.compile === 'compiler') own = this.hooks[kind as CompilerBuiltKind](s, at, ctx);
    else if (d.compile === 'copy') {
      own = {};
      for (const key in s) if (!WRITTEN_COMMON.has(key)) own[key] = s[key];
    } else if (d.compile === 'unwrap') own = isRec(s[kind]) ? { ...(s[kind] as Rec) } : {};
    else own = d.compile(s);
    for (const spec of d.children) placeLists(own, s, spec, at, list);
    for (const key in d.defaults) if (own[key] === undefined) own[key] = d.defaults[key];
    return make(own);
  }

  /** The kinds the table leaves to the compiler: each needs the manifest, defaults or files. */
  private readonly hooks: {
    [K in CompilerBuiltKind]: (s: Rec, at: string, ctx: StepScope) => Rec;
  } = {
    activity: (s, _at, ctx) => {
      const name = String(s.activity);
      const entry = this.manifest.get(name);
      const out: Rec = {
        activity: name,
        options: mergeOptions(callLayers(entry, ctx.defaults, pickOptions(s))),
      };
      putConvention(out, entry);
      put(out, 'input', s.input);
      if (isRec(s.compensate)) {
        const c = s.compensate;
        const cname = String(c.activity);
        const centry = this.manifest.get(cname);
        const comp: Rec = {
          activity: cname,
          options: mergeOptions(callLayers(centry, ctx.defaults, pickOptions(c))),
        };
        putConvention(comp, centry);
        put(comp, 'input', c.input);
        out.compensate = inOrder(comp, CALL_ORDER);
      }
      return out;
    },
    flow: (s, at, ctx) => {
      const ref = String(s.flow);
      if (isFlowFileReference(ref)) this.requireFile(ref, ctx.scope, `${at}/flow`);
      const out: Rec = { flow: this.childKey(ref, ctx.scope) };
      put(out, 'parentClosePolicy', s.parentClosePolicy);
      put(out, 'input', s.input);
      put(out, 'workflowId', s.workflowId);
      return out;
    },
  };

  /** The flattened key of a child flow reference (files are loaded by `requireFile`). */
  childKey(ref: string, scope: Scope): string {
    return isFlowFileReference(ref) ? join(scope.dir, ref) : `${scope.prefix}${ref}`;
  }

  /** Loads, validates and compiles a child flow file once, and says how that went. */
  private loadFile(key: string): 'ok' | 'missing' | 'broken' {
    const known = this.files.get(key);
    if (known) return known;
    this.files.set(key, 'ok'); // set first: a file that includes itself must not loop
    const rootDir = this.options.file ? dirname(this.options.file) : '';
    const path = join(rootDir, key);
    const text = this.options.readFile?.(path);
    if (text === undefined) {
      this.files.set(key, 'missing');
      return 'missing';
    }
    const parsed = parseFlowText(text, path);
    const diagnostics = validateFlow(parsed, { manifest: this.options.manifest, file: path });
    this.diagnostics.push(...diagnostics);
    if (hasErrors(diagnostics) || !isRec(parsed.value)) {
      this.files.set(key, 'broken');
      return 'broken';
    }
    this.document(parsed, `${key}#`, dirname(key), key);
    return this.files.get(key) ?? 'ok';
  }

  private readonly files = new Map<string, 'ok' | 'missing' | 'broken'>();

  /** Loads the child flow file a `flow:` step names, reporting problems at that step. */
  private requireFile(ref: string, scope: Scope, at: string): void {
    const state = this.loadFile(join(scope.dir, ref));
    if (state === 'missing') {
      scope.report(
        'WEFT027',
        `${scope.base}${at}`,
        this.options.readFile
          ? `child flow file "${ref}" does not exist or cannot be read`
          : `child flow file "${ref}" cannot be resolved here (no file access)`,
      );
    } else if (state === 'broken') {
      scope.report(
        'WEFT028',
        `${scope.base}${at}`,
        `child flow file "${ref}" has errors (listed with its own path)`,
      );
    }
  }

  /**
   * Compiles a whole document: its `flows:` children go into the flattened map under
   * `prefix + name`; its own body goes under `selfKey` (undefined for the root, returned instead).
   */
  document(
    parsed: ParsedFlow,
    prefix: string,
    dir: string,
    selfKey?: string,
  ): Omit<CompiledFlow, 'hash'> {
    const doc = parsed.value as Rec;
    const report = createReporter(parsed.sourceMap, this.diagnostics, parsed.file);
    if (isRec(doc.flows)) {
      for (const [name, child] of Object.entries(doc.flows)) {
        if (!isRec(child)) continue;
        const scope = { prefix, dir, report, base: `/flows/${escapeSegment(name)}` };
        this.flows[`${prefix}${name}`] = this.seal(this.body(name, child, {}, scope));
      }
    }
    const scope = { prefix, dir, report, base: '' };
    const self = this.body(String(doc.flow), doc, { version: doc.version }, scope);
    // The root is sealed once, by the caller, after its `flows` map is complete.
    if (selfKey !== undefined) this.flows[selfKey] = this.seal(self);
    return self;
  }
}

/**
 * Validates and compiles a parsed flow into a CompiledFlow, the plain JSON the interpreter runs.
 * Child flows (from `flows:` and from relative files) are compiled and flattened into the root's
 * `flows` map, keyed by what the `flow:` steps hold after compilation: the name for `flows:`
 * children of the root, the normalised path relative to the root's folder for files, and
 * `<path>#<name>` for `flows:` children of a child file. Children's own `flows` maps are empty:
 * a parent starting a child passes the root's map along.
 */
export function compileFlow(parsed: ParsedFlow, options: CompileOptions = {}): CompileResult {
  const file = options.file ?? parsed.file;
  const diagnostics = validateFlow(parsed, { manifest: options.manifest, file });
  if (hasErrors(diagnostics) || !isRec(parsed.value)) return { diagnostics };
  const compiler = new Compiler({ ...options, file });
  let root: Omit<CompiledFlow, 'hash'>;
  try {
    root = compiler.document(file === undefined ? parsed : { ...parsed, file }, '', '');
  } catch (err) {
    const report = createReporter(parsed.sourceMap, diagnostics, file);
    report('WEFT001', '', `the flow is too deeply nested to compile: ${String(err)}`);
    return { diagnostics };
  }
  const all = sortDiagnostics([...diagnostics, ...compiler.diagnostics]);
  if (hasErrors(all)) return { diagnostics: all };
  const compiled = compiler.seal({ ...root, flows: compiler.flows });
  const tooLarge = compiledSizeDiagnostic(compiler.sealedBytes, parsed, file);
  if (tooLarge) return { diagnostics: sortDiagnostics([...all, tooLarge]) };
  return { compiled, diagnostics: all };
}

/**
 * The compiled flow travels in the workflow input (with the run input and, embedded, every
 * child flow), and the server refuses an input over its payload limit: "Blob data size exceeds
 * limit" at start. Said here instead, where it can name the size and what to do.
 */
function compiledSizeDiagnostic(
  bytes: number,
  parsed: ParsedFlow,
  file: string | undefined,
): Diagnostic | undefined {
  if (bytes + PAYLOAD_OVERHEAD_BYTES <= PAYLOAD_LIMIT_BYTES) return undefined;
  const out: Diagnostic[] = [];
  createReporter(parsed.sourceMap, out, file)(
    'WEFT061',
    '/flow',
    `the compiled flow is ${describeOverLimit(bytes + PAYLOAD_OVERHEAD_BYTES, PAYLOAD_LIMIT_BYTES)}: it travels in the workflow input (child flows embedded, plus the run input), so the flow cannot start`,
    {
      at: 'key',
      hint: 'make it smaller: move large literal data out of the flow (let an activity load it), and repeated steps into a loop',
    },
  );
  return out[0];
}
