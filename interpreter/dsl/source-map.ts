import { LineCounter } from 'yaml';
import { parsePointer } from '../model';

export interface Position {
  line: number;
  col: number;
}

const MAPPING = 0;
const SEQUENCE = 1;

/** The record of a scalar (or of a value whose positions are not known): no entries. */
export const NO_RECORD = -1;

/** Where a pointer's deepest recorded entry starts. */
interface Found {
  value: number;
  /** -1 when the entry is not under a mapping key. */
  key: number;
  /** How many pointer segments the entry covers. */
  depth: number;
}

/** A growable Int32Array: offsets fit (documents are at most 5 MB) and need no GC tracing. */
class IntBuffer {
  data = new Int32Array(256);
  length = 0;

  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    const next = new Int32Array(Math.max(this.data.length * 2, this.length + extra));
    next.set(this.data);
    this.data = next;
  }
}

/**
 * Where every entry of every collection in a document starts, in flat integer arrays. Parsing a
 * large flow was otherwise dominated by the garbage collector copying a small positions object
 * per collection; here a collection costs no allocation of its own.
 *
 * A reader calls `mark()` when a collection starts, adds its entries in document order (each
 * after the entry's own collection is closed) and closes it, which moves the entries into the
 * table and returns the collection's record. Offsets are -1 when unknown.
 */
export class PositionTable {
  /**
   * Per record: kind, entry count, then per entry `key index, key offset, value offset, child
   * record` (mapping) or `value offset, child record` (sequence).
   */
  private readonly records = new IntBuffer();
  /** The entries of the collections still open, innermost last. */
  private readonly open = new IntBuffer();
  private readonly keys: string[] = [];

  mark(): number {
    return this.open.length;
  }

  addEntry(key: string, keyOffset: number, valueOffset: number, child: number): void {
    const open = this.open;
    open.reserve(4);
    const data = open.data;
    const t = open.length;
    data[t] = this.keys.push(key) - 1;
    data[t + 1] = keyOffset;
    data[t + 2] = valueOffset;
    data[t + 3] = child;
    open.length = t + 4;
  }

  addItem(valueOffset: number, child: number): void {
    const open = this.open;
    open.reserve(2);
    const data = open.data;
    const t = open.length;
    data[t] = valueOffset;
    data[t + 1] = child;
    open.length = t + 2;
  }

  closeMapping(mark: number): number {
    return this.close(MAPPING, mark, 4);
  }

  closeSequence(mark: number): number {
    return this.close(SEQUENCE, mark, 2);
  }

  private close(kind: number, mark: number, stride: number): number {
    const { open, records } = this;
    const size = open.length - mark;
    records.reserve(2 + size);
    const from = open.data;
    const to = records.data;
    const record = records.length;
    to[record] = kind;
    to[record + 1] = size / stride;
    for (let i = 0; i < size; i++) to[record + 2 + i] = from[mark + i]!;
    records.length = record + 2 + size;
    open.length = mark;
    return record;
  }

  /** The deepest entry along `segments` below `record`, if any. */
  find(record: number, segments: readonly string[]): Found | undefined {
    const data = this.records.data;
    let found: Found | undefined;
    for (let depth = 1; depth <= segments.length && record !== NO_RECORD; depth++) {
      const segment = segments[depth - 1]!;
      const count = data[record + 1]!;
      const first = record + 2;
      let value: number;
      let key = -1;
      if (data[record] === MAPPING) {
        // From the end: when two keys read as the same string, the later one holds the value.
        let i = first + 4 * (count - 1);
        while (i >= first && this.keys[data[i]!] !== segment) i -= 4;
        if (i < first) break;
        key = data[i + 1]!;
        value = data[i + 2]!;
        record = data[i + 3]!;
      } else {
        const index = Number(segment);
        if (!(Number.isInteger(index) && index >= 0 && index < count)) break;
        if (String(index) !== segment) break;
        value = data[first + 2 * index]!;
        record = data[first + 2 * index + 1]!;
      }
      if (value >= 0) found = { value, key, depth };
    }
    return found;
  }
}

/** What a reader records for a document: the root value's offset and record. */
export interface DocumentPositions {
  table: PositionTable;
  offset: number;
  record: number;
}

/** Positions, or a function that records them when first asked for. */
export type PositionsSource = DocumentPositions | (() => DocumentPositions | undefined);

/**
 * JSON pointer -> source position. Readers record only offsets, in a table that mirrors the
 * value's tree: positions are read only when a diagnostic is reported, so a lookup walks the
 * pointer through the table and does the line arithmetic then, and parsing a 10,000-step flow
 * builds no pointer strings.
 */
export class SourceMap {
  private lineCounter: LineCounter | undefined;
  private positions: PositionsSource | undefined;

  /**
   * `source` is the document text (its line table is built on the first lookup), or a
   * LineCounter the YAML parser fills while it reads. `positions` may be a function, called on
   * the first lookup, for readers that leave recording them until they are needed.
   */
  constructor(
    private readonly source: string | LineCounter = '',
    positions?: PositionsSource,
  ) {
    this.positions = positions;
  }

  /** True when `pointer` has an entry of its own (no fallback to a parent). */
  has(pointer: string): boolean {
    const segments = parsePointer(pointer);
    return this.find(segments)?.depth === segments.length;
  }

  /**
   * The position of the value at `pointer`, or of its key with `at: 'key'`. A pointer with no
   * entry of its own (a missing key, a value inside an alias) falls back to its nearest parent.
   */
  position(pointer: string, at: 'value' | 'key' = 'value'): Position {
    const found = this.find(parsePointer(pointer));
    if (!found) return { line: 1, col: 1 };
    return this.toPosition(at === 'key' && found.key >= 0 ? found.key : found.value);
  }

  toPosition(offset: number): Position {
    const pos = this.lines().linePos(offset);
    return { line: pos.line, col: pos.col };
  }

  private lines(): LineCounter {
    if (typeof this.source !== 'string') return this.source;
    if (!this.lineCounter) {
      const lines = new LineCounter();
      lines.addNewLine(0);
      const text = this.source;
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) {
        lines.addNewLine(at + 1);
      }
      this.lineCounter = lines;
    }
    return this.lineCounter;
  }

  /** The deepest entry along `segments`, the root included. */
  private find(segments: readonly string[]): Found | undefined {
    if (typeof this.positions === 'function') this.positions = this.positions();
    if (!this.positions) return undefined;
    const { table, offset, record } = this.positions;
    const root = offset >= 0 ? { value: offset, key: -1, depth: 0 } : undefined;
    return table.find(record, segments) ?? root;
  }
}
