/**
 * The jq subset that Serverless Workflow documents use, translated to JSONata (Weft's expression
 * language) at import time, so the interpreter evaluates plain JSONata in the sandbox and stays
 * deterministic. Anything outside the subset is a `JqError` with its offset in the expression,
 * which the converter turns into a positioned WEFT081; nothing is approximated silently.
 */

/** What `.` and each `$name` mean where an expression sits, as JSONata text. */
export interface JqScope {
  dot: string;
  vars: Readonly<Record<string, string>>;
}

export class JqError extends Error {
  override name = 'JqError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Tok =
  | { k: 'num'; v: number; at: number }
  | { k: 'str'; parts: (string | Node)[]; at: number }
  | { k: 'id'; v: string; at: number }
  | { k: 'var'; v: string; at: number }
  | { k: 'field'; v: string; at: number }
  | { k: 'op'; v: string; at: number }
  | { k: 'eof'; at: number };

type Node =
  | { t: 'dot'; at: number }
  | { t: 'lit'; v: unknown; at: number }
  | { t: 'str'; parts: (string | Node)[]; at: number }
  | { t: 'var'; name: string; at: number }
  | { t: 'field'; of: Node; name: string; at: number }
  | { t: 'index'; of: Node; index: Node; at: number }
  | { t: 'iter'; of: Node; at: number }
  | { t: 'pipe'; left: Node; right: Node; at: number }
  | { t: 'bin'; op: string; left: Node; right: Node; at: number }
  | { t: 'neg'; of: Node; at: number }
  | { t: 'arr'; items: Node[]; at: number }
  | { t: 'obj'; entries: { key: string | Node; value: Node }[]; at: number }
  | { t: 'if'; cond: Node; then: Node; else?: Node; at: number }
  | { t: 'call'; name: string; args: Node[]; at: number };

const OPS = ['//', '==', '!=', '<=', '>=', '|', '+', '-', '*', '/', '%', '<', '>', '(', ')'];
const PUNCT = ['[', ']', '{', '}', ',', ':', '?', ';'];
const REFUSED_KEYWORDS = new Set([
  'reduce',
  'foreach',
  'def',
  'try',
  'catch',
  'label',
  'import',
  'include',
  'as',
]);

/** Functions of the subset: name/arity -> translation given `.` and the translated arguments. */
const FUNCTIONS: Record<string, (dot: string, args: string[], fresh: () => string) => string> = {
  'length/0': (d, _a, f) => {
    const v = f();
    return `(${v} := ${d}; $type(${v}) = "string" ? $length(${v}) : $type(${v}) = "object" ? $count($keys(${v})) : $type(${v}) = "number" ? $abs(${v}) : $count(${v}))`;
  },
  'keys/0': (d) => `$sort($keys(${d}))`,
  'not/0': (d, _a, f) => {
    const v = f();
    return `(${v} := ${d}; $not($exists(${v}) and ${v} != null and ${v} != false))`;
  },
  'tostring/0': (d) => `$string(${d})`,
  'tojson/0': (d) => `$string(${d})`,
  'tonumber/0': (d) => `$number(${d})`,
  'ascii_downcase/0': (d) => `$lowercase(${d})`,
  'ascii_upcase/0': (d) => `$uppercase(${d})`,
  'join/1': (d, [s]) => `$join(${d}, ${s})`,
  'split/1': (d, [s]) => `$split(${d}, ${s})`,
  'startswith/1': (d, [s], f) => {
    const v = f();
    return `(${v} := ${s}; $substring(${d}, 0, $length(${v})) = ${v})`;
  },
  'endswith/1': (d, [s], f) => {
    const v = f();
    return `(${v} := ${s}; $substring(${d}, -$length(${v})) = ${v})`;
  },
  'ltrimstr/1': (d, [s], f) => {
    const v = f();
    const w = f();
    return `(${w} := ${d}; ${v} := ${s}; $substring(${w}, 0, $length(${v})) = ${v} ? $substring(${w}, $length(${v})) : ${w})`;
  },
  'contains/1': (d, [s]) => `$contains(${d}, ${s})`,
  'has/1': (d, [k]) => `$exists($lookup(${d}, ${k}))`,
  'add/0': (d, _a, f) => {
    const v = f();
    return `(${v} := ${d}; $type(${v}[0]) = "string" ? $join(${v}) : $type(${v}[0]) = "array" ? $reduce(${v}, $append) : $sum(${v}))`;
  },
  'first/0': (d) => `${paren(d)}[0]`,
  'last/0': (d) => `${paren(d)}[-1]`,
  'reverse/0': (d) => `$reverse(${d})`,
  'sort/0': (d) => `$sort(${d})`,
  'unique/0': (d) => `$sort($distinct(${d}))`,
  'min/0': (d) => `$min(${d})`,
  'max/0': (d) => `$max(${d})`,
  'floor/0': (d) => `$floor(${d})`,
  'sqrt/0': (d) => `$sqrt(${d})`,
  'type/0': (d, _a, f) => {
    const v = f();
    return `(${v} := ${d}; $exists(${v}) ? $type(${v}) : "null")`;
  },
  'to_entries/0': (d) => `[$each(${d}, function($v, $k) { {"key": $k, "value": $v} })]`,
  'from_entries/0': (d) => `$merge([${paren(d)}.{ $string(key): value }])`,
};

/** Functions whose argument is evaluated once per item, with `.` bound to it. */
const ITEM_FUNCTIONS = new Set(['map/1', 'select/1', 'any/1', 'all/1', 'sort_by/1', 'group_by/1']);

function paren(s: string): string {
  return /^[A-Za-z0-9_$.]+$/.test(s) ? s : `(${s})`;
}

class Lexer {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly base: number,
  ) {}

  tokens(): Tok[] {
    const out: Tok[] = [];
    for (;;) {
      const t = this.next();
      out.push(t);
      if (t.k === 'eof') return out;
    }
  }

  private at(): number {
    return this.base + this.i;
  }

  private next(): Tok {
    const s = this.src;
    while (this.i < s.length && /\s/.test(s[this.i] as string)) this.i++;
    if (s[this.i] === '#') {
      throw new JqError('comments are outside the supported jq subset', this.at());
    }
    const at = this.at();
    if (this.i >= s.length) return { k: 'eof', at };
    const c = s[this.i] as string;
    const rest = s.slice(this.i);
    const num = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (num) {
      this.i += num[0].length;
      return { k: 'num', v: Number(num[0]), at };
    }
    if (c === '"') return this.string(at);
    if (c === '$') {
      const m = /^\$(__loc__|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
      if (!m) throw new JqError('a `$` must start a variable name', at);
      this.i += m[0].length;
      return { k: 'var', v: m[1] as string, at };
    }
    if (c === '.') {
      if (rest.startsWith('..')) {
        throw new JqError('recursive descent `..` is outside the supported jq subset', at);
      }
      const m = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
      if (m) {
        this.i += m[0].length;
        return { k: 'field', v: m[1] as string, at };
      }
      this.i++;
      return { k: 'op', v: '.', at };
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest);
    if (id) {
      this.i += id[0].length;
      return { k: 'id', v: id[0], at };
    }
    for (const op of ['?//', '|=', '+=', '-=', '*=', '/=', '%=', '//=']) {
      if (rest.startsWith(op)) {
        throw new JqError(`the operator \`${op}\` is outside the supported jq subset`, at);
      }
    }
    for (const op of OPS) {
      if (rest.startsWith(op)) {
        this.i += op.length;
        return { k: 'op', v: op, at };
      }
    }
    if (c === '=') throw new JqError('assignment `=` is outside the supported jq subset', at);
    if (PUNCT.includes(c)) {
      this.i++;
      return { k: 'op', v: c, at };
    }
    throw new JqError(`unexpected character "${c}"`, at);
  }

  /** A string literal; `\( … )` interpolations are parsed as expressions in place. */
  private string(at: number): Tok {
    const s = this.src;
    this.i++;
    const parts: (string | Node)[] = [];
    let text = '';
    while (this.i < s.length && s[this.i] !== '"') {
      const c = s[this.i] as string;
      if (c !== '\\') {
        text += c;
        this.i++;
        continue;
      }
      const e = s[this.i + 1];
      if (e === '(') {
        if (text) parts.push(text);
        text = '';
        const start = this.i + 2;
        let depth = 1;
        let j = start;
        let inStr = false;
        for (; j < s.length && depth > 0; j++) {
          const ch = s[j];
          if (inStr) {
            if (ch === '\\') j++;
            else if (ch === '"') inStr = false;
          } else if (ch === '"') inStr = true;
          else if (ch === '(') depth++;
          else if (ch === ')') depth--;
        }
        if (depth > 0) throw new JqError('an unclosed `\\(` in a string', this.base + this.i);
        parts.push(parseJq(s.slice(start, j - 1), this.base + start));
        this.i = j;
        continue;
      }
      const simple: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
      };
      if (e !== undefined && e in simple) {
        text += simple[e];
        this.i += 2;
      } else if (e === 'u') {
        text += String.fromCharCode(Number.parseInt(s.slice(this.i + 2, this.i + 6), 16));
        this.i += 6;
      } else {
        throw new JqError(`unknown escape "\\${e ?? ''}" in a string`, this.base + this.i);
      }
    }
    if (this.i >= s.length) throw new JqError('an unclosed string', at);
    this.i++;
    if (text || parts.length === 0) parts.push(text);
    return { k: 'str', parts, at };
  }
}

class Parser {
  private p = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.p] as Tok;
  }
  private take(): Tok {
    return this.toks[this.p++] as Tok;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.k === 'op' && t.v === v;
  }
  private isId(v: string): boolean {
    const t = this.peek();
    return t.k === 'id' && t.v === v;
  }
  private expect(v: string): void {
    const t = this.take();
    if (!((t.k === 'op' || t.k === 'id') && t.v === v)) {
      throw new JqError(`expected "${v}"`, t.at);
    }
  }

  parseAll(): Node {
    const n = this.pipe();
    const t = this.peek();
    if (t.k !== 'eof') {
      if (t.k === 'op' && t.v === ',') {
        throw new JqError(
          'a `,` outside `[ … ]` makes several results, which is outside the supported jq subset',
          t.at,
        );
      }
      throw new JqError('unexpected text after the expression', t.at);
    }
    return n;
  }

  pipe(): Node {
    const left = this.alt();
    if (this.isOp('|')) {
      const at = this.take().at;
      return { t: 'pipe', left, right: this.pipe(), at };
    }
    if (this.isId('as')) {
      throw new JqError(
        'variable binding `… as $x` is outside the supported jq subset',
        this.peek().at,
      );
    }
    return left;
  }

  private alt(): Node {
    const left = this.or();
    if (this.isOp('//')) {
      const at = this.take().at;
      return { t: 'bin', op: '//', left, right: this.alt(), at };
    }
    return left;
  }

  private or(): Node {
    let left = this.and();
    while (this.isId('or')) {
      const at = this.take().at;
      left = { t: 'bin', op: 'or', left, right: this.and(), at };
    }
    return left;
  }

  private and(): Node {
    let left = this.cmp();
    while (this.isId('and')) {
      const at = this.take().at;
      left = { t: 'bin', op: 'and', left, right: this.cmp(), at };
    }
    return left;
  }

  private cmp(): Node {
    const left = this.add();
    const t = this.peek();
    if (t.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.take();
      return { t: 'bin', op: t.v, left, right: this.add(), at: t.at };
    }
    return left;
  }

  private add(): Node {
    let left = this.mul();
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && (t.v === '+' || t.v === '-')) {
        this.take();
        left = { t: 'bin', op: t.v, left, right: this.mul(), at: t.at };
      } else return left;
    }
  }

  private mul(): Node {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && (t.v === '*' || t.v === '/' || t.v === '%')) {
        this.take();
        left = { t: 'bin', op: t.v, left, right: this.unary(), at: t.at };
      } else return left;
    }
  }

  private unary(): Node {
    if (this.isOp('-')) {
      const at = this.take().at;
      return { t: 'neg', of: this.postfix(), at };
    }
    return this.postfix();
  }

  private postfix(): Node {
    let n = this.primary();
    for (;;) {
      const t = this.peek();
      if (t.k === 'field') {
        this.take();
        n = { t: 'field', of: n, name: t.v, at: t.at };
      } else if (t.k === 'op' && t.v === '.') {
        // `."key"` and `.[…]` after a term.
        this.take();
        const u = this.peek();
        if (u.k === 'str') {
          this.take();
          n = { t: 'field', of: n, name: staticString(u), at: u.at };
        } else if (u.k === 'op' && u.v === '[') {
          n = this.bracket(n);
        } else throw new JqError('expected a field name after "."', u.at);
      } else if (t.k === 'op' && t.v === '[') {
        n = this.bracket(n);
      } else if (t.k === 'op' && t.v === '?') {
        // Optional access: JSONata paths never fail on a missing field, so `?` changes nothing.
        this.take();
      } else return n;
    }
  }

  private bracket(of: Node): Node {
    const at = this.take().at;
    if (this.isOp(']')) {
      this.take();
      return { t: 'iter', of, at };
    }
    const first = this.pipe();
    if (this.isOp(':')) {
      throw new JqError('slices `[a:b]` are outside the supported jq subset', this.peek().at);
    }
    this.expect(']');
    return { t: 'index', of, index: first, at };
  }

  private primary(): Node {
    const t = this.take();
    switch (t.k) {
      case 'num':
        return { t: 'lit', v: t.v, at: t.at };
      case 'str':
        return { t: 'str', parts: t.parts, at: t.at };
      case 'var':
        return { t: 'var', name: t.v, at: t.at };
      case 'field':
        return { t: 'field', of: { t: 'dot', at: t.at }, name: t.v, at: t.at };
      case 'eof':
        throw new JqError('the expression ends too early', t.at);
      case 'id':
        return this.word(t);
      case 'op':
        break;
    }
    if (t.v === '.') {
      const u = this.peek();
      if (u.k === 'str') {
        this.take();
        return { t: 'field', of: { t: 'dot', at: t.at }, name: staticString(u), at: u.at };
      }
      if (u.k === 'op' && u.v === '[') return this.bracket({ t: 'dot', at: t.at });
      return { t: 'dot', at: t.at };
    }
    if (t.v === '(') {
      const n = this.pipe();
      this.expect(')');
      return n;
    }
    if (t.v === '[') {
      const items: Node[] = [];
      if (!this.isOp(']')) {
        items.push(this.pipe());
        while (this.isOp(',')) {
          this.take();
          items.push(this.pipe());
        }
      }
      this.expect(']');
      return { t: 'arr', items, at: t.at };
    }
    if (t.v === '{') return this.object(t.at);
    throw new JqError(`unexpected "${t.v}"`, t.at);
  }

  private object(at: number): Node {
    const entries: { key: string | Node; value: Node }[] = [];
    while (!this.isOp('}')) {
      const k = this.take();
      let key: string | Node;
      let shorthand: Node | undefined;
      if (k.k === 'id') {
        key = k.v;
        shorthand = { t: 'field', of: { t: 'dot', at: k.at }, name: k.v, at: k.at };
      } else if (k.k === 'str') {
        key =
          k.parts.length === 1 && typeof k.parts[0] === 'string'
            ? k.parts[0]
            : { t: 'str', parts: k.parts, at: k.at };
        shorthand = { t: 'field', of: { t: 'dot', at: k.at }, name: staticString(k), at: k.at };
      } else if (k.k === 'var') {
        key = k.v;
        shorthand = { t: 'var', name: k.v, at: k.at };
      } else if (k.k === 'op' && k.v === '(') {
        key = this.pipe();
        this.expect(')');
      } else throw new JqError('expected an object key', k.at);
      let value: Node;
      if (this.isOp(':')) {
        this.take();
        value = this.objectValue();
      } else if (shorthand) value = shorthand;
      else throw new JqError('expected ":" after a computed key', this.peek().at);
      entries.push({ key, value });
      if (this.isOp(',')) this.take();
      else if (!this.isOp('}')) throw new JqError('expected "," or "}"', this.peek().at);
    }
    this.take();
    return { t: 'obj', entries, at };
  }

  /** jq allows pipes but no `,` in an object value without parentheses. */
  private objectValue(): Node {
    const left = this.alt();
    if (this.isOp('|')) {
      const at = this.take().at;
      return { t: 'pipe', left, right: this.objectValue(), at };
    }
    return left;
  }

  private word(t: { v: string; at: number }): Node {
    if (t.v === 'null') return { t: 'lit', v: null, at: t.at };
    if (t.v === 'true') return { t: 'lit', v: true, at: t.at };
    if (t.v === 'false') return { t: 'lit', v: false, at: t.at };
    if (t.v === 'if') {
      const cond = this.pipe();
      this.expect('then');
      const then = this.pipe();
      let otherwise: Node | undefined;
      if (this.isId('elif')) {
        otherwise = this.word({ v: 'if', at: this.take().at });
        return { t: 'if', cond, then, else: otherwise, at: t.at };
      }
      if (this.isId('else')) {
        this.take();
        otherwise = this.pipe();
      }
      this.expect('end');
      return otherwise
        ? { t: 'if', cond, then, else: otherwise, at: t.at }
        : { t: 'if', cond, then, at: t.at };
    }
    if (REFUSED_KEYWORDS.has(t.v)) {
      throw new JqError(`\`${t.v}\` is outside the supported jq subset`, t.at);
    }
    const args: Node[] = [];
    if (this.isOp('(')) {
      this.take();
      args.push(this.pipe());
      while (this.isOp(';')) {
        this.take();
        args.push(this.pipe());
      }
      this.expect(')');
    }
    const key = `${t.v}/${args.length}`;
    if (!(key in FUNCTIONS) && !ITEM_FUNCTIONS.has(key)) {
      throw new JqError(
        `the jq function \`${t.v}\`${args.length ? `/${args.length}` : ''} is outside the supported subset`,
        t.at,
      );
    }
    return { t: 'call', name: t.v, args, at: t.at };
  }
}

function staticString(t: { parts: (string | Node)[]; at: number }): string {
  if (t.parts.every((p) => typeof p === 'string')) return t.parts.join('');
  throw new JqError('an interpolated string cannot name a field', t.at);
}

/** Parses jq text; `base` is its offset in the document string, for error positions. */
export function parseJq(src: string, base = 0): Node {
  return new Parser(new Lexer(src, base).tokens()).parseAll();
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fieldName(name: string): string {
  return IDENT.test(name) ? name : `\`${name.replace(/`/g, '')}\``;
}

/** The literal kind a node is sure to have, used to pick `+`'s meaning at import time. */
function kindOf(n: Node): 'array' | 'string' | 'object' | 'number' | undefined {
  if (n.t === 'arr') return 'array';
  if (n.t === 'str') return 'string';
  if (n.t === 'obj') return 'object';
  if (n.t === 'lit' && typeof n.v === 'number') return 'number';
  if (n.t === 'lit' && typeof n.v === 'string') return 'string';
  if (n.t === 'bin' && n.op === '+') return kindOf(n.left) ?? kindOf(n.right);
  if (n.t === 'bin' && ['-', '*', '/', '%'].includes(n.op)) return 'number';
  return undefined;
}

class Translator {
  constructor(private readonly counter: { n: number }) {}

  fresh = (): string => `$jq${this.counter.n++}`;

  go(node: Node, scope: JqScope): string {
    switch (node.t) {
      case 'dot':
        return scope.dot;
      case 'lit':
        return JSON.stringify(node.v);
      case 'str':
        return this.str(node.parts, scope);
      case 'var': {
        const v = scope.vars[node.name];
        if (v === undefined) {
          throw new JqError(
            `unknown variable $${node.name} (known here: ${Object.keys(scope.vars)
              .map((k) => `$${k}`)
              .join(', ')})`,
            node.at,
          );
        }
        return v;
      }
      case 'field':
        return `${paren(this.go(node.of, scope))}.${fieldName(node.name)}`;
      case 'index': {
        const of = paren(this.go(node.of, scope));
        const ix = node.index;
        if (ix.t === 'lit' && typeof ix.v === 'number') return `${of}[${ix.v}]`;
        if (ix.t === 'neg' && ix.of.t === 'lit' && typeof ix.of.v === 'number') {
          return `${of}[-${ix.of.v}]`;
        }
        if (ix.t === 'str') return `$lookup(${of}, ${this.go(ix, scope)})`;
        const v = this.fresh();
        return `(${v} := ${this.go(ix, scope)}; $type(${v}) = "string" ? $lookup(${of}, ${v}) : ${of}[${v}])`;
      }
      case 'iter':
        throw new JqError(
          '`.[]` makes several results; the subset allows it only as `[ .[] | f ]` or `map(f)`',
          node.at,
        );
      case 'pipe':
        return this.pipe(node, scope);
      case 'neg':
        return `-${paren(this.go(node.of, scope))}`;
      case 'arr':
        return this.array(node.items, scope);
      case 'obj':
        return this.object(node, scope);
      case 'if': {
        const otherwise = node.else ? this.go(node.else, scope) : scope.dot;
        return `(${this.truthy(this.go(node.cond, scope))} ? ${this.go(node.then, scope)} : ${otherwise})`;
      }
      case 'bin':
        return this.bin(node, scope);
      case 'call':
        return this.call(node, scope);
    }
  }

  private pipe(node: { left: Node; right: Node }, scope: JqScope): string {
    const left = this.go(node.left, scope);
    const v = this.fresh();
    return `(${v} := ${left}; ${this.go(node.right, { ...scope, dot: v })})`;
  }

  private str(parts: (string | Node)[], scope: JqScope): string {
    const pieces = parts.map((p) =>
      typeof p === 'string' ? JSON.stringify(p) : `$string(${this.go(p, scope)})`,
    );
    return pieces.length === 1 ? (pieces[0] as string) : `(${pieces.join(' & ')})`;
  }

  /** `[ .[] | f ]`, `[ .xs[] ]` and friends map; other items are listed. */
  private array(items: Node[], scope: JqScope): string {
    if (items.length === 1) {
      const only = items[0] as Node;
      const iter =
        only.t === 'iter'
          ? only
          : only.t === 'pipe' && only.left.t === 'iter'
            ? only.left
            : undefined;
      if (iter && iter.t === 'iter') {
        const src = this.go(iter.of, scope);
        if (only.t === 'iter') return `[${paren(src)}[]]`;
        const v = this.fresh();
        const body = this.go((only as { right: Node }).right, { ...scope, dot: v });
        return `[$map(${src}, function(${v}) { ${body} })]`;
      }
    }
    const texts = items.map((i) => this.go(i, scope));
    const scalar = (n: Node) =>
      n.t === 'lit' || n.t === 'str' || n.t === 'obj'
        ? true
        : kindOf(n) === 'number' || kindOf(n) === 'string';
    if (items.every(scalar)) return `[${texts.join(', ')}]`;
    return arrayOf(texts, this.fresh);
  }

  private object(node: { entries: { key: string | Node; value: Node }[] }, scope: JqScope): string {
    const entries = node.entries.map(({ key, value }) => {
      const k = typeof key === 'string' ? JSON.stringify(key) : `$string(${this.go(key, scope)})`;
      return `${k}: ${this.go(value, scope)}`;
    });
    return `{${entries.join(', ')}}`;
  }

  /** jq's truth: only false and null are false. */
  private truthy(x: string): string {
    const v = this.fresh();
    return `(${v} := ${x}; $exists(${v}) and ${v} != null and ${v} != false)`;
  }

  private bin(node: { op: string; left: Node; right: Node }, scope: JqScope): string {
    const a = this.go(node.left, scope);
    const b = this.go(node.right, scope);
    switch (node.op) {
      case '==':
        return `(${a} = ${b})`;
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
      case '-':
      case '*':
      case '/':
      case '%':
        return `(${a} ${node.op} ${b})`;
      case 'and':
      case 'or':
        return `(${this.truthy(a)} ${node.op} ${this.truthy(b)})`;
      case '//': {
        const v = this.fresh();
        return `(${v} := ${a}; $exists(${v}) and ${v} != null and ${v} != false ? ${v} : ${b})`;
      }
      case '+':
        return this.plus(node.left, node.right, a, b);
    }
    throw new Error(`unreachable operator ${node.op}`);
  }

  /** jq's `+` depends on the operands' types: known literals decide now, others at run time. */
  private plus(left: Node, right: Node, a: string, b: string): string {
    const kind = kindOf(left) ?? kindOf(right);
    if (kind === 'array') return `$append(${a}, ${b})`;
    if (kind === 'string') return `(${a} & ${b})`;
    if (kind === 'object') return `$merge([${a}, ${b}])`;
    const x = this.fresh();
    const y = this.fresh();
    return `(${x} := ${a}; ${y} := ${b}; $type(${x}) = "array" or $type(${y}) = "array" ? $append(${x}, ${y}) : $type(${x}) = "string" or $type(${y}) = "string" ? ${x} & ${y} : $type(${x}) = "object" or $type(${y}) = "object" ? $merge([${x}, ${y}]) : $type(${x}) = "number" and $type(${y}) = "number" ? ${x} + ${y} : $type(${x}) = "number" ? ${x} : ${y})`;
  }

  private call(node: { name: string; args: Node[] }, scope: JqScope): string {
    const key = `${node.name}/${node.args.length}`;
    if (ITEM_FUNCTIONS.has(key)) {
      const v = this.fresh();
      const f = this.go(node.args[0] as Node, { ...scope, dot: v });
      const d = scope.dot;
      switch (node.name) {
        case 'map':
          return `[$map(${d}, function(${v}) { ${f} })]`;
        case 'select':
          return `(${v} := ${d}; ${this.truthy(f)} ? ${v})`;
        case 'any':
          return `($count($filter(${d}, function(${v}) { ${this.truthy(f)} })) > 0)`;
        case 'all':
          return `($count($filter(${d}, function(${v}) { ${this.truthy(f)} })) = $count(${d}))`;
        case 'sort_by': {
          const w = this.fresh();
          const g = this.go(node.args[0] as Node, { ...scope, dot: w });
          return `[$sort(${d}, function(${v}, ${w}) { ${f} > ${g} })]`;
        }
        default:
          throw new JqError(`the jq function \`${node.name}\` is outside the supported subset`, 0);
      }
    }
    const fn = FUNCTIONS[key];
    if (!fn) throw new Error(`unreachable function ${key}`);
    const args = node.args.map((a) => this.go(a, scope));
    return fn(scope.dot, args, this.fresh);
  }
}

/**
 * A JSON array of these values. JSONata splices an array into an array constructor (its
 * sequences), so an item that turns out to be an array at run time is wrapped once more.
 */
export function arrayOf(items: string[], fresh: () => string): string {
  let out = '[]';
  for (const item of items) {
    const v = fresh();
    out = `$append(${out}, (${v} := ${item}; $exists(${v}) ? ($type(${v}) = "array" ? [[${v}]] : [${v}]) : [null]))`;
  }
  return out;
}

/**
 * Translates one jq expression to JSONata text; `base` offsets error positions. A shared counter
 * keeps the temporaries of one document distinct.
 */
export function jqToJsonata(
  src: string,
  scope: JqScope,
  base = 0,
  counter: { n: number } = { n: 0 },
): string {
  return new Translator(counter).go(parseJq(src, base), scope);
}

/** `${ … }` around a runtime expression, as OWS writes it; undefined when the text is not one. */
export function stripRuntimeExpression(text: string): { body: string; offset: number } | undefined {
  const m = /^\s*\$\{([\s\S]*)\}\s*$/.exec(text);
  if (!m) return undefined;
  return { body: m[1] as string, offset: text.indexOf('${') + 2 };
}
