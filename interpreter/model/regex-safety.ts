/**
 * Whether a JSONata regex literal can backtrack catastrophically. JavaScript's RegExp is a
 * backtracking matcher with no time limit, and one exec runs inside one JSONata function call, so
 * the expression budget cannot stop it: a flow with `$match(s, /(a+)+$/)` and an input of 40 `a`
 * then `!` would hold the worker's thread for hours. JSONata cannot build a regex at run time, so
 * every regex a flow can run is a literal in its source: validation refuses the dangerous ones
 * (WEFT100), and the interpreter refuses them in compiled flows built by hand.
 *
 * The test is exponential degree of ambiguity (Weideman et al., "Analyzing Matching Time Behavior
 * of Backtracking Regular Expression Matchers", 2016): a pattern backtracks exponentially when
 * some state of its automaton can return to itself along two different paths over the same text. The automaton is the position (Glushkov) automaton, counting how many ways the pattern
 * reaches each transition so that `(a+)+` (one transition, reached by the inner or the outer loop)
 * differs from `a+`. Two paths from a state back to it over the same text exist iff, in the
 * product of the automaton with itself, one strongly connected component holds a pair (q, q) and
 * either a pair of two different states or a transition from (p, p) to (t, t) reached two ways.
 *
 * What it does not catch: polynomial backtracking (`^\d+\d+$` is quadratic), which regexDegree
 * below measures so that the expression budget can charge it before a scan; patterns whose
 * blow-up goes through a backreference (a backreference is analysed as one unknown character).
 * Lookaround bodies are analysed as patterns of their own.
 *
 * The interpreter runs this check too (PATCHES.safeRegex), counting steps, never time. A change
 * that makes it refuse a pattern it accepted, or accept one it refused, changes what recorded
 * runs did: it needs a patch of its own.
 */

import { findInAst } from './expressions';

/** Longer regex literals are refused outright: nobody writes them by hand, and analysis is bounded. */
export const REGEX_MAX_LENGTH = 1000;
/** Counted repetitions above this count are analysed as this count (`x{1,100}` as `x{1,8}`). */
const COUNT_CAP = 8;
/**
 * Steps (automaton transitions built, product transitions tried) per pattern character beyond
 * which a pattern is refused as too complex to prove safe. Patterns people write need a few a
 * character, short ones a few hundred in all; the bound keeps validation linear in the size of
 * the flow, since validation runs in `weft serve` too.
 */
const STEPS_PER_CHAR = 20;
const MIN_STEPS = 5_000;

class Budget {
  private steps = 0;
  constructor(private readonly limit: number) {}
  spend(n = 1): void {
    this.steps += n;
    if (this.steps > this.limit) throw new TooComplex();
  }
}

export type RegexProblem =
  | { kind: 'too-long'; length: number }
  | { kind: 'too-complex' }
  | { kind: 'nested-quantifier'; part: string }
  | { kind: 'overlapping-alternatives'; part: string }
  | { kind: 'ambiguous-repetition'; part: string };

/** What is wrong, naming the part of the pattern, and how to fix it. */
export function describeRegexProblem(
  pattern: string,
  p: RegexProblem,
): { message: string; hint: string } {
  const re = `regex /${pattern.length > 60 ? `${pattern.slice(0, 57)}...` : pattern}/`;
  const slow =
    'can match the same text in many ways, so an input of a few dozen characters that almost matches keeps the worker busy for hours';
  switch (p.kind) {
    case 'too-long':
      return {
        message: `${re} is ${p.length} characters long, over the ${REGEX_MAX_LENGTH}-character limit for regex literals`,
        hint: 'split it into simpler regexes',
      };
    case 'too-complex':
      return {
        message: `${re} is too complex to prove that it cannot backtrack catastrophically`,
        hint: 'simplify it: fewer alternatives and nested groups under one quantifier, or several simpler regexes',
      };
    case 'nested-quantifier':
      return {
        message: `${re} has a nested quantifier \`${p.part}\` that ${slow}`,
        hint: 'quantify once: `(a+)+` is `a+`; or end each repetition with a character the inner part cannot match, as in `(a+,)+`',
      };
    case 'overlapping-alternatives':
      return {
        message: `${re} has a quantified group whose alternatives overlap \`${p.part}\` and ${slow}`,
        hint: 'make the alternatives match different text: `(a|aa)*` is `a*`, `(\\w|\\d)+` is `\\w+`',
      };
    case 'ambiguous-repetition':
      return {
        message: `${re} has a repetition \`${p.part}\` whose repeated part ${slow}`,
        hint: 'make each repetition end with a character the next one cannot start with, or quantify once',
      };
  }
}

// ---- character sets: sorted, disjoint [lo, hi] ranges of UTF-16 code units ----------------------

type CharSet = number[]; // flat: lo0, hi0, lo1, hi1, …

const MAX_CHAR = 0xffff;

function normalise(ranges: [number, number][]): CharSet {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: CharSet = [];
  for (const [lo, hi] of ranges) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function toRanges(s: CharSet): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < s.length; i += 2) out.push([s[i]!, s[i + 1]!]);
  return out;
}

function complement(s: CharSet): CharSet {
  const out: CharSet = [];
  let next = 0;
  for (let i = 0; i < s.length; i += 2) {
    if (s[i]! > next) out.push(next, s[i]! - 1);
    next = s[i + 1]! + 1;
  }
  if (next <= MAX_CHAR) out.push(next, MAX_CHAR);
  return out;
}

function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i + 1]! < b[j]!) i += 2;
    else if (b[j + 1]! < a[i]!) j += 2;
    else return true;
  }
  return false;
}

/** ASCII case folding, for the `i` flag: enough to see that /[a-z]|[A-Z]/i overlaps. */
function foldCase(s: CharSet): CharSet {
  const ranges = toRanges(s);
  const extra: [number, number][] = [];
  for (const [lo, hi] of ranges) {
    for (const [from, to] of [
      [0x61, 0x41],
      [0x41, 0x61],
    ] as const) {
      const a = Math.max(lo, from);
      const b = Math.min(hi, from + 25);
      if (a <= b) extra.push([a - from + to, b - from + to]);
    }
  }
  return normalise([...ranges, ...extra]);
}

const ch = (c: string): [number, number] => [c.charCodeAt(0), c.charCodeAt(0)];
const DIGIT = normalise([[0x30, 0x39]]);
const WORD = normalise([[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], ch('_')]);
const SPACE = normalise([
  [0x09, 0x0d],
  ch(' '),
  ch('\u00a0'),
  ch('\u1680'),
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  ch('\u202f'),
  ch('\u205f'),
  ch('\u3000'),
  ch('\ufeff'),
]);
const LINE_TERMINATORS = normalise([ch('\n'), ch('\r'), [0x2028, 0x2029]]);
const DOT = complement(LINE_TERMINATORS);
const ANY = normalise([[0, MAX_CHAR]]);

// ---- the pattern's syntax tree --------------------------------------------------------------------

type Node =
  /** `backref`: a backreference, which the degree analysis reads as any text (see regexDegree). */
  | { t: 'set'; set: CharSet; s: number; e: number; backref?: boolean }
  | { t: 'seq'; items: Node[]; s: number; e: number }
  | { t: 'alt'; alts: Node[]; s: number; e: number }
  | { t: 'rep'; body: Node; min: number; max: number; s: number; e: number }
  /**
   * Zero-width: anchors, \b, and lookarounds (whose body is analysed separately). `start` marks
   * `^`, `look` a lookaround's body: the degree analysis reads both.
   */
  | { t: 'empty'; s: number; e: number; start?: boolean; look?: Node };

class TooComplex extends Error {}

/**
 * A lenient parser for JavaScript patterns without the `u` flag (JSONata allows only `i` and
 * `m`): the pattern already compiled as a RegExp, so where Annex B makes a character literal
 * (`{`, `]`, unknown escapes) it is taken as that literal.
 */
function parse(src: string, ignoreCase: boolean, lookarounds: Node[]): Node {
  let i = 0;
  const set = (cs: CharSet, s: number): Node => ({
    t: 'set',
    set: ignoreCase ? foldCase(cs) : cs,
    s,
    e: i,
  });

  const escapeClass = (c: string): CharSet | undefined => {
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return SPACE;
      case 'S':
        return complement(SPACE);
      default:
        return undefined;
    }
  };

  /** The code unit of a character escape after `\` (i at the character after the backslash). */
  const escapeChar = (inClass: boolean): number => {
    const c = src[i++] ?? '\\';
    const simple: Record<string, string> = { t: '\t', n: '\n', v: '\v', f: '\f', r: '\r' };
    if (c in simple) return simple[c]!.charCodeAt(0);
    if (inClass && c === 'b') return 8;
    if (c === 'c' && /[a-zA-Z]/.test(src[i] ?? '')) return src.charCodeAt(i++) % 32;
    const hex = (n: number): number | undefined => {
      const digits = src.slice(i, i + n);
      if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) return undefined;
      i += n;
      return Number.parseInt(digits, 16);
    };
    if (c === 'x') return hex(2) ?? c.charCodeAt(0);
    if (c === 'u') return hex(4) ?? c.charCodeAt(0);
    if (c === '0') return 0;
    return c.charCodeAt(0);
  };

  const parseClass = (start: number): Node => {
    // i is after '['
    let negate = false;
    if (src[i] === '^') {
      negate = true;
      i++;
    }
    const ranges: [number, number][] = [];
    let pending: number | undefined;
    const atom = (): { code?: number; cls?: CharSet } => {
      const c = src[i]!;
      if (c === '\\') {
        i++;
        const cls = escapeClass(src[i] ?? '');
        if (cls) {
          i++;
          return { cls };
        }
        return { code: escapeChar(true) };
      }
      i++;
      return { code: c.charCodeAt(0) };
    };
    while (i < src.length && src[i] !== ']') {
      const a = atom();
      if (a.cls) {
        ranges.push(...toRanges(a.cls));
        continue;
      }
      pending = a.code!;
      if (src[i] === '-' && i + 1 < src.length && src[i + 1] !== ']') {
        i++;
        const b = atom();
        if (b.cls) {
          ranges.push([pending, pending], ch('-'), ...toRanges(b.cls));
        } else {
          ranges.push([Math.min(pending, b.code!), Math.max(pending, b.code!)]);
        }
      } else ranges.push([pending, pending]);
    }
    i++; // ']'
    const cs = normalise(ranges);
    return set(negate ? complement(cs) : cs, start);
  };

  const parseAtom = (): Node | undefined => {
    const start = i;
    const c = src[i]!;
    switch (c) {
      case '^':
        i++;
        return { t: 'empty', s: start, e: i, start: true };
      case '$':
        i++;
        return { t: 'empty', s: start, e: i };
      case '.':
        i++;
        return set(DOT, start);
      case '[':
        i++;
        return parseClass(start);
      case '(': {
        i++;
        let look = false;
        if (src[i] === '?') {
          if (src[i + 1] === ':') i += 2;
          else if (src[i + 1] === '=' || src[i + 1] === '!') {
            look = true;
            i += 2;
          } else if (src[i + 1] === '<' && (src[i + 2] === '=' || src[i + 2] === '!')) {
            look = true;
            i += 3;
          } else if (src[i + 1] === '<') {
            const close = src.indexOf('>', i);
            i = close < 0 ? src.length : close + 1;
          }
        }
        const body = parseAlt();
        i++; // ')'
        if (look) {
          lookarounds.push(body);
          return { t: 'empty', s: start, e: i, look: body };
        }
        // A group is its body, but quoted with its parentheses.
        return { ...body, s: start, e: i } as Node;
      }
      case '\\': {
        i++;
        const n = src[i] ?? '';
        if (n === 'b' || n === 'B') {
          i++;
          return { t: 'empty', s: start, e: i };
        }
        const cls = escapeClass(n);
        if (cls) {
          i++;
          return set(cls, start);
        }
        if (/[1-9]/.test(n) || (n === 'k' && src[i + 1] === '<')) {
          // A backreference matches text the analysis cannot know: one unknown character.
          if (n === 'k') {
            const close = src.indexOf('>', i);
            i = close < 0 ? src.length : close + 1;
          } else while (/[0-9]/.test(src[i] ?? '')) i++;
          return { t: 'set', set: ANY, s: start, e: i, backref: true };
        }
        const code = escapeChar(false);
        return set(normalise([[code, code]]), start);
      }
      default:
        i++;
        return set(normalise([[c.charCodeAt(0), c.charCodeAt(0)]]), start);
    }
  };

  const quantifier = (): { min: number; max: number } | undefined => {
    const c = src[i];
    if (c === '*') {
      i++;
      return { min: 0, max: Infinity };
    }
    if (c === '+') {
      i++;
      return { min: 1, max: Infinity };
    }
    if (c === '?') {
      i++;
      return { min: 0, max: 1 };
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (!m) return undefined; // Annex B: a literal '{'
      i += m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      return { min, max };
    }
    return undefined;
  };

  const parseSeq = (): Node => {
    const start = i;
    const items: Node[] = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      const atomStart = i;
      const atom = parseAtom();
      if (!atom) continue;
      const q = quantifier();
      if (q) {
        if (src[i] === '?') i++; // lazy: the same paths, tried in another order
        items.push({ t: 'rep', body: atom, min: q.min, max: q.max, s: atomStart, e: i });
      } else items.push(atom);
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items, s: start, e: i };
  };

  const parseAlt = (): Node => {
    const start = i;
    const alts = [parseSeq()];
    while (src[i] === '|') {
      i++;
      alts.push(parseSeq());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts, s: start, e: i };
  };

  // A stray ')' cannot occur in a pattern that compiled, so the whole pattern is read here.
  return parseAlt();
}

/**
 * Whether a repetition is analysed as a loop. A counted repetition of a group is, because
 * `(\w+){1,10}` is as slow as `(\w+)+` for any input a flow sees (n^10) and `(a|a){30}` takes
 * 2^30 steps; a counted repetition of one character (`\d{3}`, `[a-z]{2,4}`) is spelled out.
 */
function loops(n: Node & { t: 'rep' }): boolean {
  return n.max === Infinity || (n.max > 1 && n.body.t !== 'set');
}

// ---- the position automaton, with path counts ------------------------------------------------------

interface Fragment {
  nullable: boolean;
  first: number[];
  last: number[];
}

interface Automaton {
  /** Per position (0 is the start state), its character set; the start's is empty. */
  sets: CharSet[];
  /** Per position, the next positions and in how many ways the pattern reaches each. */
  follow: Map<number, number>[];
}

function automaton(root: Node, budget: Budget): Automaton {
  const a: Automaton = { sets: [[]], follow: [new Map()] };
  const link = (from: readonly number[], to: readonly number[]) => {
    budget.spend(from.length * to.length);
    for (const p of from) {
      const f = a.follow[p]!;
      for (const q of to) f.set(q, (f.get(q) ?? 0) + 1);
    }
  };
  const build = (n: Node): Fragment => {
    switch (n.t) {
      case 'set': {
        const p = a.sets.length;
        budget.spend();
        a.sets.push(n.set);
        a.follow.push(new Map());
        return { nullable: false, first: [p], last: [p] };
      }
      case 'empty':
        return { nullable: true, first: [], last: [] };
      case 'seq': {
        let acc: Fragment = { nullable: true, first: [], last: [] };
        for (const item of n.items) acc = concat(acc, build(item));
        return acc;
      }
      case 'alt': {
        const out: Fragment = { nullable: false, first: [], last: [] };
        for (const alt of n.alts) {
          const f = build(alt);
          budget.spend(f.first.length + f.last.length);
          out.nullable ||= f.nullable;
          out.first.push(...f.first);
          out.last.push(...f.last);
        }
        return out;
      }
      case 'rep': {
        // A loop's required copies add no loop of their own, so `x{5,}` is analysed as `x+`.
        const min = Math.min(n.min, loops(n) ? 1 : COUNT_CAP);
        const max = loops(n) ? Infinity : Math.min(n.max, COUNT_CAP);
        let acc: Fragment = { nullable: true, first: [], last: [] };
        for (let k = 0; k < min; k++) acc = concat(acc, build(n.body));
        if (max === Infinity) {
          const body = build(n.body);
          link(body.last, body.first);
          acc = concat(acc, { nullable: true, first: body.first, last: body.last });
        } else {
          // x{0,k} as (x(x(x)?)?)?: each optional copy may follow only the one before.
          const optional: Fragment[] = [];
          for (let k = min; k < max; k++) optional.push(build(n.body));
          let tail: Fragment = { nullable: true, first: [], last: [] };
          for (let k = optional.length - 1; k >= 0; k--) {
            const f = concat(optional[k]!, tail);
            tail = { nullable: true, first: f.first, last: f.last };
          }
          acc = concat(acc, tail);
        }
        return acc;
      }
    }
  };
  const concat = (x: Fragment, y: Fragment): Fragment => {
    budget.spend(x.first.length + x.last.length + y.first.length + y.last.length);
    link(x.last, y.first);
    return {
      nullable: x.nullable && y.nullable,
      first: x.nullable ? [...x.first, ...y.first] : x.first,
      last: y.nullable ? [...x.last, ...y.last] : y.last,
    };
  };
  const f = build(root);
  link([0], f.first);
  return a;
}

/** Whether some state can return to itself along two different paths over the same text. */
function ambiguous(a: Automaton, budget: Budget): boolean {
  const n = a.sets.length;
  const key = (p: number, q: number) => p * n + q;
  const succ = (k: number): number[] => {
    const p = Math.floor(k / n);
    const q = k % n;
    const out: number[] = [];
    for (const t of a.follow[p]!.keys()) {
      for (const u of a.follow[q]!.keys()) {
        budget.spend();
        if (intersects(a.sets[t]!, a.sets[u]!)) out.push(key(t, u));
      }
    }
    return out;
  };
  // Tarjan's algorithm, iteratively, from every diagonal pair.
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  let counter = 0;
  for (let d = 0; d < n; d++) {
    const root = key(d, d);
    if (index.has(root)) continue;
    const work: { k: number; next: number[]; i: number }[] = [];
    const visit = (k: number) => {
      index.set(k, counter);
      low.set(k, counter++);
      stack.push(k);
      onStack.add(k);
      work.push({ k, next: succ(k), i: 0 });
    };
    visit(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      if (top.i < top.next.length) {
        const w = top.next[top.i++]!;
        if (!index.has(w)) visit(w);
        else if (onStack.has(w)) low.set(top.k, Math.min(low.get(top.k)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.k, Math.min(low.get(parent.k)!, low.get(top.k)!));
      if (low.get(top.k) !== index.get(top.k)) continue;
      const component: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== top.k);
      if (witness(a, component, n)) return true;
    }
  }
  return false;
}

/**
 * Whether a strongly connected component of the self-product proves two paths from a state back
 * to itself: it holds a pair (q, q) and a pair of two different states, or a transition from
 * (p, p) to (t, t) that the pattern reaches two ways.
 */
function witness(a: Automaton, component: number[], n: number): boolean {
  const diagonal = component.filter((k) => Math.floor(k / n) === k % n);
  if (diagonal.length === 0) return false;
  if (diagonal.length < component.length) return true;
  const members = new Set(component);
  for (const k of diagonal) {
    for (const [t, ways] of a.follow[k % n]!) {
      if (ways > 1 && members.has(t * n + t)) return true;
    }
  }
  return false;
}

// ---- naming the problem ------------------------------------------------------------------------

function children(n: Node): Node[] {
  return n.t === 'seq' ? n.items : n.t === 'alt' ? n.alts : n.t === 'rep' ? [n.body] : [];
}

function contains(n: Node, pred: (n: Node) => boolean): boolean {
  return pred(n) || children(n).some((k) => contains(k, pred));
}

/** The repetitions that form loops in the automaton, innermost first. */
function loopsOf(n: Node, out: Node[] = []): Node[] {
  for (const k of children(n)) loopsOf(k, out);
  if (n.t === 'rep' && loops(n)) out.push(n);
  return out;
}

function analyse(src: string, root: Node): RegexProblem | null {
  // Loops over single characters alone (`^[a-z]+\d*$`) give the automaton no cycle but
  // self-loops, each reached one way: no ambiguity to find, and most patterns are like that.
  if (!contains(root, (n) => n.t === 'rep' && loops(n) && n.body.t !== 'set')) return null;
  const budget = new Budget(MIN_STEPS + STEPS_PER_CHAR * src.length);
  const isAmbiguous = (n: Node) => ambiguous(automaton(n, budget), budget);
  if (!isAmbiguous(root)) return null;
  // The culprit is the innermost loop that is ambiguous on its own: in `(a+)+`, `(a+)+` and
  // not `a+`.
  const loop = loopsOf(root).find((l) => l === root || isAmbiguous(l));
  if (loop?.t !== 'rep') return { kind: 'ambiguous-repetition', part: src.slice(root.s, root.e) };
  const part = src.slice(loop.s, loop.e);
  if (contains(loop.body, (n) => n.t === 'rep' && n.max > 1)) {
    return { kind: 'nested-quantifier', part };
  }
  if (contains(loop.body, (n) => n.t === 'alt')) return { kind: 'overlapping-alternatives', part };
  return { kind: 'ambiguous-repetition', part };
}

const cache = new Map<string, RegexProblem | null>();

/** Checks one regex literal's pattern (its flags: JSONata allows `i` and `m`); null when safe. */
export function checkRegex(pattern: string, flags = ''): RegexProblem | null {
  if (pattern.length > REGEX_MAX_LENGTH) return { kind: 'too-long', length: pattern.length };
  const key = `${flags.includes('i') ? 'i' : ''}/${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let problem: RegexProblem | null = null;
  try {
    const lookarounds: Node[] = [];
    const root = parse(pattern, flags.includes('i'), lookarounds);
    problem = analyse(pattern, root);
    for (let k = 0; !problem && k < lookarounds.length; k++) {
      problem = analyse(pattern, lookarounds[k]!);
    }
  } catch {
    // Over budget, or a pattern this parser misreads: either way it is not proven safe.
    problem = { kind: 'too-complex' };
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, problem);
  return problem;
}

/**
 * A regex literal of a parsed JSONata expression that can backtrack catastrophically, if any.
 * The validator (flows and test files) and the interpreter share it.
 */
export function unsafeRegexIn(ast: unknown): { pattern: string; problem: RegexProblem } | null {
  return (
    findInAst(ast, (n) => {
      const re = n.value as { source?: unknown; flags?: unknown } | undefined;
      // Not instanceof RegExp: the interpreter's JSONata builds its RegExps in the sandbox's realm.
      if (n.type !== 'regex' || typeof re?.source !== 'string') return undefined;
      const problem = checkRegex(re.source, typeof re.flags === 'string' ? re.flags : '');
      return problem ? { pattern: re.source, problem } : undefined;
    }) ?? null
  );
}

// ---- polynomial backtracking: the degree -------------------------------------------------------

/**
 * Steps per pattern character for regexDegree, which compares every pair of loops: more than
 * checkRegex needs, so that a long pattern of ordinary loops (`\w+\s` two hundred times) is
 * still analysed (once per pattern, cached) rather than given the fallback.
 */
const DEGREE_STEPS_PER_CHAR = 400;

/**
 * How the worst-case work of one regex-taking builtin grows with the length n of its string:
 * `regexDegree` is d when it is at most about n^d backtracking steps. A pattern without
 * exponential ambiguity (checkRegex) can still backtrack polynomially: when k repetitions in a row
 * can match the same text with nothing forced between them (`\s*\s*`, possibly with optional parts
 * between), a text they both match splits between them in about n^(k-1) ways, and when what
 * follows can fail, the matcher tries every split. An exec tries every start position, which is
 * one more such repetition (`[\s\S]*?`) in front of a pattern not anchored with `^`: `\s+$`
 * (degree 2) is the trim that stalled a well-known site on a line of 20 000 spaces, `\d+\d+$` is
 * degree 3, `^\d+\d+$` degree 2. A builtin scans a string once, each start position at most once
 * over all its matches, so n^d bounds the whole scan, not one exec.
 *
 * The count is an upper bound, read from the position automaton with its loops labelled:
 * repetition A can be followed by repetition B when, for the characters both can repeat, each can
 * loop on those characters alone and a path from A to B reads only such characters. The degree
 * is the longest chain of such repetitions that ends where the rest of the pattern can fail (a
 * repetition at the end of an unanchored pattern, as in `(ab)+`, succeeds whatever it matched).
 * It looks at character sets, not words, so it may count a chain no text realises (`(ab)+(ba)+$`
 * is counted as degree 3); it never misses one. A lookaround costs its own degree wherever it is
 * tried. Counted, never timed: a pattern too costly to analyse gets the number of its repetitions
 * (plus one for the start positions), which bounds every chain. The interpreter charges by it
 * (PATCHES.regexBudget): a change that alters a degree changes where recorded runs trip, and
 * needs a patch of its own.
 */
export function regexDegree(pattern: string, flags = ''): number {
  const key = `${flags.includes('i') ? 'i' : ''}${flags.includes('m') ? 'm' : ''}/${pattern}`;
  const hit = degrees.get(key);
  if (hit !== undefined) return hit;
  let degree: number;
  const lookarounds: Node[] = [];
  let root: Node | undefined;
  try {
    root = parse(pattern, flags.includes('i'), lookarounds);
    const budget = new Budget(MIN_STEPS + DEGREE_STEPS_PER_CHAR * pattern.length);
    const anchored = !flags.includes('m') && startsAnchored(root);
    degree = Math.max(1, chainDegree(root, !anchored, true, budget));
    for (const look of lookarounds) {
      const own = chainDegree(look, false, false, budget);
      if (own === 0) continue;
      // Tried once per start position when nothing before it repeats, else once per path.
      degree = Math.max(degree, leading(root, look) ? own + (anchored ? 0 : 1) : degree + own);
    }
  } catch {
    // Over budget, or a pattern this parser misreads: every repetition in one chain.
    degree = 1 + (root ? loopsOf(root).length + countBackrefs(root) : pattern.length);
  }
  if (degrees.size > 10_000) degrees.clear();
  degrees.set(key, degree);
  return degree;
}

const degrees = new Map<string, number>();

function countBackrefs(n: Node): number {
  let count = n.t === 'set' && n.backref ? 1 : 0;
  for (const k of children(n)) count += countBackrefs(k);
  if (n.t === 'empty' && n.look) count += loopsOf(n.look).length + countBackrefs(n.look);
  return count;
}

/** Whether the pattern matches the empty text with no assertion: whatever follows, it succeeds. */
function sure(n: Node): boolean {
  switch (n.t) {
    case 'set':
    case 'empty':
      return false;
    case 'seq':
      return n.items.every(sure);
    case 'alt':
      return n.alts.some(sure);
    case 'rep':
      return n.min === 0 || sure(n.body);
  }
}

/** Whether every match starts with `^` (without the `m` flag: at the start of the string only). */
function startsAnchored(n: Node): boolean {
  switch (n.t) {
    case 'empty':
      return n.start === true;
    case 'set':
      return false;
    case 'seq': {
      for (const item of n.items) {
        if (item.t === 'empty' && item.start) return true;
        if (item.t !== 'empty') return startsAnchored(item);
      }
      return false;
    }
    case 'alt':
      return n.alts.every(startsAnchored);
    case 'rep':
      return n.min >= 1 && startsAnchored(n.body);
  }
}

/** Whether `look` comes before anything in the pattern that consumes text. */
function leading(root: Node, look: Node): boolean {
  const items = root.t === 'seq' ? root.items : [root];
  for (const item of items) {
    if (item.t !== 'empty') return false;
    if (item.look === look) return true;
  }
  return false;
}

/** A repetition the degree analysis treats as a loop: unbounded, or a group repeated, or a long count. */
function loopsForDegree(n: Node & { t: 'rep' }): boolean {
  return loops(n) || n.max - n.min > COUNT_CAP;
}

interface Loop {
  /** Positions of the repeated copy, nested loops' included. */
  positions: Set<number>;
  /** The edges that start another repetition: from the copy's last positions to its first. */
  backFrom: number[];
  backTo: number[];
  /** Whether what follows the repetition matches whatever comes: a chain ending here costs nothing. */
  tailSure: boolean;
}

/**
 * The longest chain of loops that can share text and ends where the rest can fail (0: none),
 * with a loop over any character in front for the start positions when `search`.
 */
function chainDegree(root: Node, search: boolean, rootTailSure: boolean, budget: Budget): number {
  const sets: CharSet[] = [];
  const follow: Set<number>[] = [];
  const all: Loop[] = [];
  const position = (set: CharSet, within: Loop[]): number => {
    budget.spend();
    const p = sets.length;
    sets.push(set);
    follow.push(new Set());
    for (const l of within) l.positions.add(p);
    return p;
  };
  const link = (from: readonly number[], to: readonly number[]) => {
    budget.spend(from.length * to.length);
    for (const p of from) for (const q of to) follow[p]!.add(q);
  };
  const concat = (x: Fragment, y: Fragment): Fragment => {
    link(x.last, y.first);
    return {
      nullable: x.nullable && y.nullable,
      first: x.nullable ? [...x.first, ...y.first] : x.first,
      last: y.nullable ? [...x.last, ...y.last] : y.last,
    };
  };
  const none = (): Fragment => ({ nullable: true, first: [], last: [] });
  const loop = (tailSure: boolean, within: Loop[], body: (inside: Loop[]) => Fragment) => {
    const l: Loop = { positions: new Set(), backFrom: [], backTo: [], tailSure };
    all.push(l);
    const f = body([...within, l]);
    link(f.last, f.first);
    l.backFrom = f.last;
    l.backTo = f.first;
    return { nullable: true, first: f.first, last: f.last };
  };
  const build = (n: Node, tailSure: boolean, within: Loop[]): Fragment => {
    switch (n.t) {
      case 'set': {
        if (n.backref) {
          // It matches what its group matched: any text, as long as the input. It can fail.
          return loop(false, within, (inside) => {
            const p = position(ANY, inside);
            return { nullable: false, first: [p], last: [p] };
          });
        }
        const p = position(n.set, within);
        return { nullable: false, first: [p], last: [p] };
      }
      case 'empty':
        return none();
      case 'seq': {
        let acc = none();
        n.items.forEach((item, k) => {
          const rest = tailSure && n.items.slice(k + 1).every(sure);
          acc = concat(acc, build(item, rest, within));
        });
        return acc;
      }
      case 'alt': {
        const out: Fragment = { nullable: false, first: [], last: [] };
        for (const alt of n.alts) {
          const f = build(alt, tailSure, within);
          out.nullable ||= f.nullable;
          out.first.push(...f.first);
          out.last.push(...f.last);
        }
        return out;
      }
      case 'rep': {
        // After one copy comes another or what follows; with more copies required, it can fail.
        const bodyTail = tailSure && n.min <= 1;
        if (loopsForDegree(n)) {
          let acc = none();
          for (let k = 0; k < Math.min(n.min, 1); k++) {
            acc = concat(acc, build(n.body, bodyTail, within));
          }
          return concat(
            acc,
            loop(tailSure, within, (inside) => build(n.body, bodyTail, inside)),
          );
        }
        const min = Math.min(n.min, COUNT_CAP);
        const max = Math.min(n.max, COUNT_CAP);
        let acc = none();
        for (let k = 0; k < min; k++) acc = concat(acc, build(n.body, bodyTail, within));
        const optional: Fragment[] = [];
        for (let k = min; k < max; k++) optional.push(build(n.body, bodyTail, within));
        let tail = none();
        for (let k = optional.length - 1; k >= 0; k--) {
          const f = concat(optional[k]!, tail);
          tail = { nullable: true, first: f.first, last: f.last };
        }
        return concat(acc, tail);
      }
    }
  };
  let start: Fragment;
  if (search) {
    // The start positions: `[\s\S]*?` in front, which succeeds at once if the pattern surely does.
    start = loop(sure(root), [], (inside) => {
      const p = position(ANY, inside);
      return { nullable: false, first: [p], last: [p] };
    });
    start = concat(start, build(root, rootTailSure, []));
  } else start = build(root, rootTailSure, []);
  void start;

  const alphabet = all.map((l) => {
    let out: CharSet = [];
    for (const p of l.positions) {
      budget.spend();
      out = normalise([...toRanges(out), ...toRanges(sets[p]!)]);
    }
    return out;
  });
  const allowed = (p: number, mu: CharSet) => intersects(sets[p]!, mu);
  /** Whether `l` can repeat reading only characters that meet `mu`. */
  const cycles = (l: Loop, mu: CharSet): boolean => {
    const seen = new Set<number>();
    const stack = l.backTo.filter((p) => allowed(p, mu));
    const ends = new Set(l.backFrom.filter((p) => allowed(p, mu)));
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (ends.has(p)) return true;
      if (seen.has(p)) continue;
      seen.add(p);
      for (const q of follow[p]!) {
        budget.spend();
        if (l.positions.has(q) && !seen.has(q) && allowed(q, mu)) stack.push(q);
      }
    }
    return false;
  };
  /** Whether a path from `a` reaches `b` reading only characters that meet `mu`. */
  const reaches = (a: Loop, b: Loop, mu: CharSet): boolean => {
    const seen = new Set<number>();
    const stack = [...a.positions].filter((p) => allowed(p, mu));
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (b.positions.has(p)) return true;
      if (seen.has(p)) continue;
      seen.add(p);
      for (const q of follow[p]!) {
        budget.spend();
        if (!seen.has(q) && allowed(q, mu)) stack.push(q);
      }
    }
    return false;
  };
  const next: number[][] = all.map(() => []);
  all.forEach((a, i) => {
    all.forEach((b, j) => {
      if (i === j) return;
      budget.spend();
      const mu = intersection(alphabet[i]!, alphabet[j]!);
      if (mu.length === 0 || !cycles(a, mu) || !cycles(b, mu) || !reaches(a, b, mu)) return;
      next[i]!.push(j);
    });
  });
  // Longest chain ending at a loop whose tail can fail; a cycle of chains is not proven bounded.
  const memo = new Map<number, number>();
  const visiting = new Set<number>();
  const longest = (i: number): number => {
    const hit = memo.get(i);
    if (hit !== undefined) return hit;
    if (visiting.has(i)) throw new TooComplex();
    visiting.add(i);
    let best = all[i]!.tailSure ? 0 : 1;
    for (const j of next[i]!) {
      budget.spend();
      const rest = longest(j);
      if (rest > 0) best = Math.max(best, rest + 1);
    }
    visiting.delete(i);
    memo.set(i, best);
    return best;
  };
  let degree = 0;
  for (let i = 0; i < all.length; i++) degree = Math.max(degree, longest(i));
  return degree;
}

function intersection(a: CharSet, b: CharSet): CharSet {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]!, b[j]!);
    const hi = Math.min(a[i + 1]!, b[j + 1]!);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return normalise(out);
}
