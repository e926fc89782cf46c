import { regexOverBudget, regexUnits } from '../../model/regex-meter';
import { isJsonataFunction } from '../../model/truthiness';

/**
 * The work and memory budget of one expression evaluation, shared by the synchronous fast path
 * and the JSONata path. Everything is counted, never timed, so a replay trips at the same place.
 *
 * Work: one unit per AST node evaluated (more on JSONata's evaluator, see JSONATA_NODE_UNITS), per
 * item a builtin or operator creates or walks, per CHARS_PER_UNIT characters one reads and per
 * BUILT_CHARS_PER_UNIT it copies, so a native loop inside a builtin costs in proportion to what
 * it does (`$sum([1..100000])` is 200 000 units with its range, not two).
 *
 * Memory: sizes are checked before the allocation wherever the size is known in advance (the
 * width of `$pad`, the bounds of a range, the length `$join`, `$string` and `&` would produce),
 * and every string, array and object a builder returns is added to a running total.
 */
export const EXPRESSION_BUDGET = {
  /** Characters (UTF-16 code units) in one string an expression builds. */
  string: 10 * 1024 * 1024,
  /** Items in one array or sequence, or keys in one object, an expression builds. */
  items: 100_000,
  /** Estimated bytes of every string, array and object one evaluation builds, together. */
  bytes: 64 * 1024 * 1024,
  /**
   * Work units of one evaluation, on either path: both count the same units (a node as
   * JSONata's evaluator visits it, an item, CHARS_PER_UNIT characters), so an expression trips
   * at the same point whichever path runs it. Sized for JSONata's evaluator, where a node is
   * dearest (`npm run bench -- --only expressions`).
   */
  work: 500_000,
  /** Work units on the synchronous path of runs before PATCHES.oneWorkBudget. */
  fastWork: 1_000_000,
  /** Work units on JSONata's evaluator of runs before PATCHES.oneWorkBudget. */
  jsonataWork: 250_000,
} as const;

/**
 * What runs recorded before PATCHES.oneWorkBudget counted, beside the one meter: their limit and
 * what a node cost on their path. `applies` asks whether the one meter decides (the patch); it is
 * called only when the two meters disagree, once one of them trips.
 */
export interface LegacyMeter {
  limit: number;
  nodeUnits: number;
  applies: () => boolean;
  /** Whether this meter charged and sized an array a path hands on unchanged (JSONata's did). */
  sizesHandedOn?: boolean;
}

/** Which meters a charge goes to: a site only the one meter counts, only the old one, or both. */
export type Meters = 'both' | 'one' | 'legacy';

/**
 * Units one AST node (or builtin call) costs on the one meter, on either path: what a node costs
 * on JSONata's evaluator in the workflow sandbox, where every node awaits several promises and
 * each promise records a stack trace, against an item of native work. The synchronous path
 * charges the same so that an expression trips at the same point whichever path runs it.
 */
export const NODE_UNITS = 1000;

/** Characters a builtin reads per work unit (code point walks, regexes, case mapping). */
export const CHARS_PER_UNIT = 16;

/** Characters built (copied) per work unit: concatenation and padding run at memcpy speed. */
export const BUILT_CHARS_PER_UNIT = 256;

/** Estimated bytes per character, per array item and per object key in the running total. */
const BYTES = Object.freeze({ char: 2, item: 8, key: 16 } as const);

/**
 * A budget ran out. `code` WEFT01 is work (steps), WEFT04 memory. Thrown as data, like
 * JSONata's own errors, so it surfaces as an ExpressionError with this message; the evaluator
 * never falls back to another path after it.
 */
export class BudgetExceeded {
  constructor(
    readonly code: 'WEFT01' | 'WEFT04',
    readonly message: string,
  ) {}
}

export const isBudgetExceeded = (err: unknown): err is BudgetExceeded =>
  err instanceof BudgetExceeded;

const MiB = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/**
 * Builtins whose result is (part of) an argument, not something new: they are charged for the
 * work but not added to the memory total.
 */
const SELECTIONS: readonly string[] = Object.freeze([
  'lookup',
  'single',
  'filter',
  'error',
  'assert',
  'type',
  'exists',
]);

export class Budget {
  work = 0;
  bytes = 0;
  /** The old meter's count, while it still counts. */
  legacyWork = 0;
  /** Where charges go now (the synchronous path counts some sites on one meter only). */
  meters: Meters = 'both';
  private oneCounts = true;
  private legacy: LegacyMeter | undefined;
  private readonly oneApplies: (() => boolean) | undefined;
  /**
   * The worst case of polynomial regexes charged so far (regex()), kept apart from `work`: runs
   * recorded before PATCHES.regexBudget did not count it, so it decides only where the patch says
   * so, asked once it would make the budget trip.
   */
  regexWork = 0;
  private regexCounts = true;
  private regexCulprit = '';

  constructor(
    readonly workLimit: number,
    /** Values the walks treat as opaque (the fast path's closures). */
    private readonly opaque: (v: object) => boolean = isJsonataFunction,
    legacy?: LegacyMeter,
    /** Whether the worst case of polynomial regexes counts (the patch question). */
    private readonly regexApplies: () => boolean = () => true,
  ) {
    this.legacy = legacy;
    this.oneApplies = legacy?.applies;
  }

  /**
   * Before a regex of `degree` (model/regex-safety.ts regexDegree) scans `length` characters:
   * charges its worst case (model/regex-meter.ts). Degree 1 costs nothing here; what a builtin
   * reads and each match are charged as for any builtin.
   */
  regex(pattern: string, degree: number, length: number): void {
    if (!this.regexCounts || degree < 2) return;
    this.regexWork += regexUnits(degree, length);
    this.regexCulprit = regexOverBudget(this.workLimit, pattern, degree, length);
    this.checkRegexWork();
  }

  private checkRegexWork(): void {
    if (!this.regexCounts || !this.oneCounts) return;
    if (this.work + this.regexWork <= this.workLimit) return;
    if (this.regexApplies()) {
      throw new BudgetExceeded('WEFT01', this.regexCulprit);
    }
    this.regexCounts = false;
    this.regexWork = 0;
  }

  /**
   * Whether this evaluation follows the rules that came with the one budget
   * (PATCHES.oneWorkBudget), where they differ from older runs' in more than the count: ask it
   * only where the outcome would differ, so other runs carry no marker. Without an old meter
   * (tests, queries) they do.
   */
  oneRules(): boolean {
    return this.oneApplies?.() ?? true;
  }

  /** Units a node costs on the old meter. */
  get legacyNodeUnits(): number {
    return this.legacy?.nodeUnits ?? 1;
  }

  /** Runs `fn` with charges going to `meters` only. */
  on<T>(meters: Meters, fn: () => T): T {
    const before = this.meters;
    this.meters = meters;
    try {
      return fn();
    } finally {
      this.meters = before;
    }
  }

  /** One AST node evaluated (or one builtin called). */
  node(): void {
    this.charge(NODE_UNITS, this.legacyNodeUnits);
  }

  /** Charges `units` to the one meter and `legacyUnits` to the old one. */
  charge(units: number, legacyUnits = units): void {
    if (this.meters !== 'legacy') this.work += units;
    if (this.meters !== 'one' && this.legacy) this.legacyWork += legacyUnits;
    if (this.oneCounts && this.work > this.workLimit) {
      if (!this.legacy || this.legacy.applies()) {
        throw this.exceeded(this.workLimit, `${NODE_UNITS} units per node`);
      }
      this.oneCounts = false;
    }
    const legacy = this.legacy;
    if (legacy && this.legacyWork > legacy.limit) {
      if (!legacy.applies()) {
        throw this.exceeded(
          legacy.limit,
          legacy.nodeUnits === 1 ? 'a unit per step' : `${legacy.nodeUnits} units per step`,
        );
      }
      this.legacy = undefined;
    }
    if (this.regexWork > 0) this.checkRegexWork();
  }

  /**
   * A path handed on an array it did not build (`input.list`): the one meter leaves it alone on
   * both paths. JSONata's old meter charged and sized it; a run before the one budget still
   * fails where it did.
   */
  handedOn(length: number): void {
    const legacy = this.legacy;
    if (!legacy?.sizesHandedOn) return;
    this.on('legacy', () => this.charge(0, length));
    if (length > EXPRESSION_BUDGET.items && this.legacy && !legacy.applies()) {
      this.items(length, 'a path');
    }
  }

  /**
   * Nodes left before every meter that still counts has tripped: counting further cannot change
   * the outcome, and counting less would let the meter that trips first decide alone.
   */
  remaining(): number {
    const one = this.oneCounts ? (this.workLimit - this.work) / NODE_UNITS : 0;
    const legacy = this.legacy ? (this.legacy.limit - this.legacyWork) / this.legacy.nodeUnits : 0;
    return Math.max(0, one, legacy);
  }

  private exceeded(limit: number, node: string): BudgetExceeded {
    return new BudgetExceeded(
      'WEFT01',
      `evaluation exceeded its work budget of ${limit} units (${node}, one per item a function or range makes or reads): endless recursion, or a loop over too much data? Move large loops into an activity`,
    );
  }

  /** A string of `length` characters is about to be built by `what`. */
  string(length: number, what: string): void {
    if (length > EXPRESSION_BUDGET.string) {
      throw new BudgetExceeded(
        'WEFT04',
        `${what} would build a string of ${length} characters; the expression memory budget allows ${EXPRESSION_BUDGET.string} (${MiB(EXPRESSION_BUDGET.string)}) per string`,
      );
    }
  }

  /** An array (or object) of `count` items (keys) is about to be built by `what`. */
  items(count: number, what: string): void {
    if (count > EXPRESSION_BUDGET.items) {
      throw new BudgetExceeded(
        'WEFT04',
        `${what} would build ${count} items; the expression memory budget allows ${EXPRESSION_BUDGET.items} per array or object`,
      );
    }
  }

  private total(bytes: number, what: string): void {
    this.bytes += bytes;
    if (this.bytes > EXPRESSION_BUDGET.bytes) {
      throw new BudgetExceeded(
        'WEFT04',
        `${what} brought what the expression built to about ${MiB(this.bytes)}; the expression memory budget allows ${MiB(EXPRESSION_BUDGET.bytes)} in all`,
      );
    }
  }

  /** Checks and counts a value `what` has just built; charges its size as work. */
  built(value: unknown, what: string): void {
    if (typeof value === 'string') {
      this.string(value.length, what);
      this.charge(Math.ceil(value.length / BUILT_CHARS_PER_UNIT));
      this.total(value.length * BYTES.char, what);
    } else if (Array.isArray(value)) {
      this.items(value.length, what);
      this.charge(value.length);
      this.total(value.length * BYTES.item, what);
    } else if (value !== null && typeof value === 'object' && !this.opaque(value)) {
      const keys = Object.keys(value).length;
      this.items(keys, what);
      this.charge(keys);
      this.total(keys * BYTES.key, what);
    }
  }

  /** `a & b`, before the concatenation. */
  concat(a: string, b: string): void {
    this.string(a.length + b.length, 'the & operator');
  }

  /** The range `[from..to]`, before it is allocated. */
  range(from: number, to: number): void {
    const size = to - from + 1;
    if (size <= 0) return;
    this.items(size, 'the range operator (..)');
    this.charge(size);
    this.total(size * BYTES.item, 'the range operator (..)');
  }

  /**
   * Characters JSON.stringify would write for `value`, walking no further than needed to know
   * it is over `limit`. The walk is charged as work.
   */
  jsonLength(
    value: unknown,
    limit: number,
    visitsPerUnit = 1,
    legacyVisitsPerUnit = visitsPerUnit,
  ): number {
    const charge = (visited: number) =>
      this.charge(Math.ceil(visited / visitsPerUnit), Math.ceil(visited / legacyVisitsPerUnit));
    let length = 0;
    let visited = 0;
    const stack: unknown[] = [value];
    while (stack.length > 0 && length <= limit) {
      const v = stack.pop();
      // Charged as it goes, so a walk over too much stops at the work budget.
      if (++visited === 1024) {
        charge(visited);
        visited = 0;
      }
      if (typeof v === 'string') length += v.length + 2;
      else if (typeof v === 'number' || typeof v === 'boolean') length += String(v).length;
      else if (v === null || v === undefined) length += 4;
      else if (Array.isArray(v)) {
        length += 2 + v.length;
        for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
      } else if (typeof v === 'object' && !this.opaque(v)) {
        length += 2;
        for (const [k, item] of Object.entries(v)) {
          length += k.length + 4;
          stack.push(item);
        }
      } else length += 2;
    }
    charge(visited);
    return length;
  }

  /** Charges a walk over every value in `value` (deep equality). */
  walk(value: unknown): void {
    this.jsonLength(value, Number.POSITIVE_INFINITY);
  }

  /** Before a builtin runs: charges what it reads and refuses sizes known in advance. */
  before(name: string, args: unknown[]): void {
    let units = 0;
    for (const a of args) units += weight(a);
    this.charge(NODE_UNITS + units, this.legacyNodeUnits + units);
    const what = `$${name}()`;
    switch (name) {
      case 'pad': {
        const [str, width] = args;
        if (typeof str === 'string' && typeof width === 'number' && Number.isFinite(width)) {
          const n = Math.max(Math.abs(Math.trunc(width)), str.length);
          this.string(n, what);
          this.charge(Math.ceil(n / BUILT_CHARS_PER_UNIT));
        } else if (typeof width === 'number' && !Number.isFinite(width)) {
          this.string(Number.POSITIVE_INFINITY, what);
        }
        break;
      }
      case 'join': {
        const [parts, sep] = args;
        if (Array.isArray(parts)) {
          let n = typeof sep === 'string' ? sep.length * Math.max(parts.length - 1, 0) : 0;
          for (const p of parts) if (typeof p === 'string') n += p.length;
          this.string(n, what);
        } else if (typeof parts === 'string') this.string(parts.length, what);
        break;
      }
      case 'string':
        if (typeof args[0] !== 'string' && args[0] !== undefined) {
          const n = this.jsonLength(args[0], EXPRESSION_BUDGET.string);
          // prettify adds indentation: at most a few characters per value.
          this.string(args[1] === true ? n * 2 : n, what);
        }
        break;
      case 'append': {
        const size = (v: unknown) => (v === undefined ? 0 : Array.isArray(v) ? v.length : 1);
        this.items(size(args[0]) + size(args[1]), what);
        break;
      }
      case 'zip': {
        const lengths = args.map((a) => (Array.isArray(a) ? a.length : 1));
        if (lengths.length > 0) this.items(Math.min(...lengths) * lengths.length, what);
        break;
      }
      case 'merge':
      case 'keys':
      case 'spread':
      case 'sift':
      case 'each': {
        // They copy or visit every key of every object they get.
        let keys = 0;
        for (const o of Array.isArray(args[0]) ? args[0] : [args[0]]) {
          if (o !== null && typeof o === 'object' && !Array.isArray(o) && !this.opaque(o)) {
            keys += Object.keys(o).length;
          }
        }
        this.charge(keys);
        break;
      }
      case 'clone':
        this.string(this.jsonLength(args[0], EXPRESSION_BUDGET.string), what);
        break;
      case 'sort': {
        // JSONata's merge sort awaits every comparison and copies the rest of a run at each.
        const n = Array.isArray(args[0]) ? args[0].length : 0;
        const sort = (nodeUnits: number) =>
          Math.ceil((n * Math.log2(n + 1) * nodeUnits) / 2 + (n * n) / 64);
        this.charge(sort(NODE_UNITS), sort(this.legacyNodeUnits));
        break;
      }
      case 'distinct': {
        // Each new item is compared with every kept one.
        const n = Array.isArray(args[0]) ? args[0].length : 0;
        this.charge(Math.ceil((n * n) / 32));
        break;
      }
      case 'replace': {
        const [str, pattern, replacement] = args;
        if (typeof str === 'string' && typeof pattern === 'string' && pattern !== '') {
          if (typeof replacement === 'string') {
            const limit = typeof args[3] === 'number' ? args[3] : Number.POSITIVE_INFINITY;
            let count = 0;
            for (let at = str.indexOf(pattern); at >= 0 && count < limit; count++) {
              at = str.indexOf(pattern, at + pattern.length);
            }
            this.string(
              str.length + count * Math.max(replacement.length - pattern.length, 0),
              what,
            );
          }
        }
        break;
      }
    }
  }

  /**
   * The arguments to call one of JSONata's builtins with: `$split` and `$match` get a limit one
   * past the item budget, so they stop instead of building a huge array (which is then over).
   */
  static limited(name: string, args: unknown[]): unknown[] {
    if ((name !== 'split' && name !== 'match') || args[2] !== undefined || args.length > 3) {
      return args;
    }
    const out = [...args];
    while (out.length < 2) out.push(undefined);
    out[2] = EXPRESSION_BUDGET.items + 1;
    return out;
  }

  /** After a builtin returned: checks and counts what it built. */
  after(name: string, args: unknown[], result: unknown): void {
    if (typeof result !== 'string' && (typeof result !== 'object' || result === null)) return;
    if (args.some((a) => a === result)) return;
    const what = `$${name}()`;
    if (SELECTIONS.includes(name)) {
      // Charged for reading; not new memory. Still bounded in size (it came from an argument).
      this.charge(weight(result));
      return;
    }
    this.built(result, what);
  }
}

/** Shallow size of a value in work units. */
export function weight(v: unknown): number {
  if (typeof v === 'string') return Math.ceil(v.length / CHARS_PER_UNIT);
  if (Array.isArray(v)) return v.length;
  return 0;
}

/** Builtins that take a regex, which JSONata matches with one await per match. */
export const REGEX_TAKERS: readonly string[] = Object.freeze([
  'contains',
  'split',
  'match',
  'replace',
]);

/** A node of JSONata's AST, as the budget reads it. */
export interface AstNode {
  type: string;
  value?: unknown;
  /** Set at compile time on the operands of `&`, which JSONata turns into JSON text. */
  weftConcatOperand?: boolean;
  /** Set at compile time on the operands of `=`, `!=` and `in`, which JSONata walks. */
  weftWalkOperand?: boolean;
}

/**
 * Checks and charges what a node has just evaluated to (builtins are charged by before/after):
 * JSONata's exit hook, and the synchronous path after each node, so both count alike.
 */
export function chargeResult(
  budget: Budget,
  expr: AstNode,
  result: unknown,
  isSequence: (v: unknown[]) => boolean,
): void {
  if (result === undefined) return;
  if (expr.weftConcatOperand && typeof result !== 'string') {
    budget.string(budget.jsonLength(result, EXPRESSION_BUDGET.string), 'the & operator');
  }
  if (expr.weftWalkOperand && typeof result === 'object') budget.walk(result);
  if (expr.type === 'binary' && expr.value === '&') budget.built(result, 'the & operator');
  else if (expr.type === 'unary' && expr.value === '[')
    budget.built(result, 'an array constructor');
  else if (expr.type === 'unary' && expr.value === '{')
    budget.built(result, 'an object constructor');
  else if (Array.isArray(result) && (expr.type === 'path' || expr.value === '..')) {
    if (expr.type === 'path' && !isSequence(result)) budget.handedOn(result.length);
    else {
      budget.items(result.length, expr.type === 'path' ? 'a path' : 'the range operator (..)');
      budget.charge(result.length);
    }
  }
}
