/**
 * Random JSONata expressions and inputs from a seed, for the property test that both evaluation
 * paths agree (expression-paths.property.test.ts). A seed always gives the same case, so a
 * failing seed is a regression test as it stands.
 */

/** A small deterministic PRNG (mulberry32): the same seed gives the same sequence everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nest = (n: number): unknown[] => (n === 0 ? [0] : [n, nest(n - 1)]);

type Kind = 'num' | 'str' | 'bool' | 'arr' | 'obj';
const KINDS: readonly Kind[] = ['num', 'str', 'bool', 'arr', 'obj'];

/**
 * Sizes around the work budget: a node costs 1000 units of 500,000, so a `$map` whose lambda body
 * is a node or two trips between a few hundred items; the item budget is 100,000.
 */
const SIZES = [0, 1, 2, 3, 10, 60, 120, 160, 200, 240, 249, 250, 251, 300, 480, 499, 500, 501];
const RANGE_SIZES = [1, 10, 1000, 99_999, 100_000, 100_001, 250_000, 499_000, 500_000, 501_000];

export class Generator {
  private readonly rand: () => number;
  /** Variables in scope, by kind (lambda parameters and block bindings). */
  private vars: { name: string; kind: Kind }[] = [];
  private fresh = 0;

  constructor(seed: number) {
    this.rand = prng(seed);
  }

  int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  private chance(p: number): boolean {
    return this.rand() < p;
  }

  /** A random input object: numbers, strings, arrays, records, nesting, null and absent keys. */
  input(): Record<string, unknown> {
    const items = Array.from({ length: this.int(6) }, (_, i) => ({
      id: i,
      qty: this.int(5),
      name: this.pick(['a', 'b', 'ab', 'x y', '']),
      tags: Array.from({ length: this.int(3) }, () => this.pick(['t', 'u', 'v'])),
      ...(this.chance(0.3) ? { extra: null } : {}),
    }));
    return {
      n: this.pick([0, 1, 2, 3, -1, 7, 2.5, 100]),
      s: this.pick(['', 'a', 'abc', 'Hello World', 'a,b,c', '  pad  ', 'é😀x']),
      b: this.chance(0.5),
      arr: Array.from({ length: this.pick([0, 1, 2, 5, 9]) }, () => this.int(10) - 3),
      strs: Array.from({ length: this.int(4) }, () => this.pick(['a', 'b', 'c', ''])),
      items,
      nested: { a: { b: this.int(3), c: [this.int(4), { d: 'deep' }] }, list: [[1, 2], [3]] },
      nothing: null,
      size: this.pick(SIZES),
      big: Array.from({ length: this.pick(SIZES) }, (_, i) => i),
      // [k, [k - 1, ... [0]]]: a tail-recursive walk down it nests three deep a level on a
      // path that does not run tail calls in a loop, and costs five nodes a level.
      deep: nest(this.pick([10, 70, 82, 83, 84, 90, 99])),
    };
  }

  /** A random expression of any kind. */
  expression(): string {
    this.vars = [];
    this.fresh = 0;
    return this.gen(this.pick(KINDS), 4);
  }

  private gen(kind: Kind, depth: number): string {
    if (depth <= 0 || this.chance(0.15)) return this.leaf(kind);
    const d = depth - 1;
    // Constructs that give any kind.
    const r = this.rand();
    if (r < 0.06) return `(${this.gen('bool', d)} ? ${this.gen(kind, d)} : ${this.gen(kind, d)})`;
    if (r < 0.1) return this.block(kind, d);
    if (r < 0.13) return `input.${this.pick(['missing', 'nothing', 'nested.zz'])}`;
    switch (kind) {
      case 'num':
        return this.num(d);
      case 'str':
        return this.str(d);
      case 'bool':
        return this.bool(d);
      case 'arr':
        return this.arr(d);
      case 'obj':
        return this.obj(d);
    }
  }

  private leaf(kind: Kind): string {
    const inScope = this.vars.filter((v) => v.kind === kind);
    if (inScope.length > 0 && this.chance(0.5)) return this.pick(inScope).name;
    switch (kind) {
      case 'num':
        return this.pick(['0', '1', '2', '-3', '0.5', '1e3', 'input.n', 'input.size']);
      case 'str':
        return this.pick(['""', '"a"', "'xyz'", '"a,b"', 'input.s', 'input.items[0].name']);
      case 'bool':
        return this.pick(['true', 'false', 'input.b', 'null']);
      case 'arr':
        return this.pick([
          '[]',
          '[1, 2, 3]',
          'input.arr',
          'input.strs',
          'input.items',
          'input.big',
        ]);
      case 'obj':
        return this.pick(['{}', '{"a": 1}', 'input.nested', 'input.items[0]', 'input']);
    }
  }

  private block(kind: Kind, d: number): string {
    const name = `$v${this.fresh++}`;
    const bound = this.pick(KINDS);
    const value = this.gen(bound, d);
    this.vars.push({ name, kind: bound });
    const body = this.gen(kind, d);
    this.vars.pop();
    return `(${name} := ${value}; ${body})`;
  }

  /** A lambda whose parameters are in scope for its body. */
  private lambda(params: { kind: Kind }[], result: Kind, d: number): string {
    const names = params.map((p) => {
      const name = `$p${this.fresh++}`;
      this.vars.push({ name, kind: p.kind });
      return name;
    });
    const body = this.gen(result, d);
    this.vars.splice(this.vars.length - names.length, names.length);
    return `function(${names.join(', ')}){ ${body} }`;
  }

  private num(d: number): string {
    const a = () => this.gen('num', d);
    switch (this.int(14)) {
      case 0:
        return `${a()} ${this.pick(['+', '-', '*', '/', '%'])} ${a()}`;
      case 1:
        return `-${a()}`;
      case 2:
        return `$count(${this.gen('arr', d)})`;
      case 3:
        return `$sum(${this.gen('arr', d)})`;
      case 4:
        return `$${this.pick(['max', 'min', 'average'])}(${this.gen('arr', d)})`;
      case 5:
        return `$length(${this.gen('str', d)})`;
      case 6:
        return `$${this.pick(['floor', 'ceil', 'abs', 'round', 'sqrt'])}(${a()})`;
      case 7:
        return `$reduce(${this.gen('arr', d)}, ${this.lambda([{ kind: 'num' }, { kind: 'num' }], 'num', d)}${this.chance(0.5) ? `, ${a()}` : ''})`;
      case 8:
        return `input.${this.pick(['arr', 'big'])}[${this.int(6) - 2}]`;
      case 9:
        return `$number(${this.gen(this.pick(['str', 'num', 'bool']), d)})`;
      case 10:
        return `input.items[${this.int(4)}].qty`;
      case 11:
        return `$count($map([1..${this.pick(SIZES)}], ${this.lambda([{ kind: 'num' }], 'num', Math.min(d, 1))}))`;
      case 12:
        return this.recursion();
      default:
        return `$sum(input.items.qty)`;
    }
  }

  private str(d: number): string {
    const s = () => this.gen('str', d);
    switch (this.int(12)) {
      case 0:
        return `${s()} & ${this.gen(this.pick(KINDS), d)}`;
      case 1:
        return `$string(${this.gen(this.pick(KINDS), d)})`;
      case 2:
        return `$${this.pick(['uppercase', 'lowercase', 'trim'])}(${s()})`;
      case 3:
        return `$substring(${s()}, ${this.int(5) - 2}${this.chance(0.5) ? `, ${this.int(4)}` : ''})`;
      case 4:
        return `$join(${this.gen('arr', d)}${this.chance(0.5) ? `, ${s()}` : ''})`;
      case 5:
        return `$type(${this.gen(this.pick(KINDS), d)})`;
      case 6:
        return `input.items[${this.int(4)}].name`;
      case 7:
        return `$pad(${s()}, ${this.int(8) - 4})`;
      case 8:
        return `$substringBefore(${s()}, ",")`;
      default:
        return `${s()} & ${s()}`;
    }
  }

  private bool(d: number): string {
    const n = () => this.gen('num', d);
    switch (this.int(11)) {
      case 0:
        return `${n()} ${this.pick(['<', '<=', '>', '>='])} ${n()}`;
      case 1: {
        const k = this.pick(KINDS);
        return `${this.gen(k, d)} ${this.pick(['=', '!='])} ${this.gen(this.chance(0.7) ? k : this.pick(KINDS), d)}`;
      }
      case 2:
        return `${this.gen('bool', d)} ${this.pick(['and', 'or'])} ${this.gen('bool', d)}`;
      case 3:
        return `$not(${this.gen(this.pick(KINDS), d)})`;
      case 4:
        return `$exists(${this.gen(this.pick(KINDS), d)})`;
      case 5:
        return `$boolean(${this.gen(this.pick(KINDS), d)})`;
      case 6:
        return `${n()} in ${this.gen('arr', d)}`;
      case 7:
        return `$contains(${this.gen('str', d)}, ${this.gen('str', d)})`;
      case 8:
        return `${this.gen('str', d)} < ${this.gen('str', d)}`;
      default:
        return `input.items[${this.int(4)}].qty > 1`;
    }
  }

  private arr(d: number): string {
    const a = () => this.gen('arr', d);
    switch (this.int(16)) {
      case 0:
        return `[${this.gen(this.pick(KINDS), d)}, ${this.gen(this.pick(KINDS), d)}]`;
      case 1:
        return `[${this.int(5) - 2}..${this.gen('num', d)}]`;
      case 2:
        return `[1..${this.pick(RANGE_SIZES)}]`;
      case 3:
        return `$map(${a()}, ${this.lambda([{ kind: 'num' }], this.pick(KINDS), d)})`;
      case 4:
        return `$map(${a()}, ${this.lambda([{ kind: 'num' }, { kind: 'num' }], 'num', d)})`;
      case 5:
        return `$filter(${a()}, ${this.lambda([{ kind: 'num' }], 'bool', d)})`;
      case 6:
        return `$sort(${a()})`;
      case 7:
        return `$append(${a()}, ${this.gen(this.pick(KINDS), d)})`;
      case 8:
        return `$reverse(${a()})`;
      case 9:
        return `input.items[${this.pick(['qty > 1', 'name = "a"', '0', '-1', 'id in [1, 2]', 'tags'])}]${this.chance(0.5) ? `.${this.pick(['qty', 'name', 'tags', 'id'])}` : ''}`;
      case 10:
        return `$split(${this.gen('str', d)}, ${this.pick(['","', '""', '" "'])})`;
      case 11:
        return `$keys(${this.gen('obj', d)})`;
      case 12:
        return `${a()}[${this.gen(this.pick(['num', 'bool']), d)}]`;
      case 13:
        return `input.nested.${this.pick(['list', 'list[0]', 'a.c', 'a.c.d', 'list.$'])}`;
      case 14:
        return `$map([1..${this.pick(SIZES)}], function($x){ ${this.pick(['$x', '$x * 2', '[$x]', '{"k": $x}', '$string($x)'])} })`;
      default:
        return `input.${this.pick(['items.tags', 'items.qty', 'strs', 'big'])}`;
    }
  }

  private obj(d: number): string {
    switch (this.int(5)) {
      case 0:
        return `{"a": ${this.gen(this.pick(KINDS), d)}, "b": ${this.gen(this.pick(KINDS), d)}}`;
      case 1:
        return `$merge([${this.gen('obj', d)}, ${this.gen('obj', d)}])`;
      case 2:
        return `{${this.gen('str', d)}: ${this.gen(this.pick(KINDS), d)}}`;
      case 3:
        return `$lookup(${this.gen('obj', d)}, "a")`;
      default:
        return `input.items[${this.int(4)}]`;
    }
  }

  /** Recursion, tail and not, around the depth limit and the work budget. */
  private recursion(): string {
    const n = this.pick([5, 20, 40, 60, 61, 62, 80, 83, 84, 100, 124, 125, 126, 200, 300]);
    const items = this.pick([49_999, 50_000, 50_001, 60_000]);
    switch (this.int(7)) {
      case 4:
        return `($f := function($l){ $l[1] ? $f($l[1]) : $l[0] }; $f(input.deep))`;
      case 5:
        return `($a := [1..${items}]; $count([$a, $a]))`;
      case 6:
        return `$count($append([1..${items}], [1..${items}]))`;
      case 0:
        return `($f := function($n, $acc){ $n <= 0 ? $acc : $f($n - 1, $acc + 1) }; $f(${n}, 0))`;
      case 1:
        return `($f := function($n){ $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(${n}))`;
      case 2:
        return `($f := function($l){ $count($l) = 0 ? 0 : $f($l[[1..${n}]]) }; $f([0..${n}]))`;
      default:
        return `$count(${'['.repeat(n)}1${']'.repeat(n)})`;
    }
  }
}
