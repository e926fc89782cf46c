import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Node as YamlNode,
} from 'yaml';
import { toPointer } from '../model/ids';
import { MAX_NESTING_DEPTH, tooDeepOffset, tooDeepPath } from './depth';
import type { Diagnostic, DiagnosticCode } from './diagnostics';
import { readJson } from './json-parse';
import { type DocumentPositions, NO_RECORD, PositionTable, SourceMap } from './source-map';
import { parseYamlSubset } from './yaml-fast';

/** Documents above this size are refused before parsing. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
/**
 * Cap on alias expansion (the `yaml` package's count of alias uses times aliased nodes). A few
 * anchors for shared retry policies stay far below it; an alias bomb hits it after a handful of
 * expansions, so it fails fast instead of exhausting memory.
 */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedFlow {
  /** The plain JSON value; undefined when the text does not parse. */
  value: unknown;
  sourceMap: SourceMap;
  diagnostics: Diagnostic[];
  file?: string;
}

function byteLength(text: string): number {
  // Characters never outnumber UTF-8 bytes, and one character is at most 3 bytes: only measure
  // when the answer is in doubt.
  if (text.length > MAX_DOCUMENT_BYTES) return text.length;
  if (text.length * 3 <= MAX_DOCUMENT_BYTES) return text.length;
  return new TextEncoder().encode(text).length;
}

function diag(
  code: DiagnosticCode,
  message: string,
  pos: { line: number; col: number },
  hint?: string,
): Diagnostic {
  const d: Diagnostic = { code, severity: 'error', message, pointer: '', ...pos };
  if (hint) d.hint = hint;
  return d;
}

/** Offset of the first alias in the document, to point an alias-bomb error at. */
function firstAliasOffset(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      found = node.range?.[0];
      return visit.BREAK;
    },
  });
  return found;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

/**
 * Records where every collection entry (and its key) starts, from the YAML tree; returns the
 * node's record. An alias records only its own offset: pointers into it fall back to the alias.
 */
function recordPositions(node: unknown, table: PositionTable): number {
  if (isAlias(node)) return NO_RECORD;
  if (isMap(node)) {
    const mark = table.mark();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyOffset = offsetOf(pair.key) ?? -1;
      const valueOffset = offsetOf(pair.value) ?? keyOffset;
      const child = recordPositions(pair.value, table);
      table.addEntry(keyText(pair.key), keyOffset, valueOffset, child);
    }
    return table.closeMapping(mark);
  }
  if (isSeq(node)) {
    const mark = table.mark();
    for (const item of node.items) {
      const child = recordPositions(item, table);
      table.addItem(offsetOf(item) ?? -1, child);
    }
    return table.closeSequence(mark);
  }
  return NO_RECORD;
}

function documentPositions(root: YamlNode | null): DocumentPositions | undefined {
  if (!root) return undefined;
  const table = new PositionTable();
  try {
    return { table, offset: offsetOf(root) ?? -1, record: recordPositions(root, table) };
  } catch (err) {
    // Nesting deep enough to exhaust the stack: positions fall back to line 1, parsing goes on.
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

/** Above this size the env swap below pays for itself. */
const PLAIN_ENV_MIN_CHARS = 64 * 1024;

/**
 * The `yaml` package's Node build reads `process.env.LOG_TOKENS` once per token, and every
 * process.env read is a call into the C++ environment: about a third of the parse time of a
 * large flow. For the synchronous parse only, process.env is a plain snapshot (no other code
 * can run meanwhile); it is restored in `finally`. In a browser there is no process: no-op.
 */
function withPlainEnv<T>(size: number, parse: () => T): T {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const saved = proc?.env;
  if (!proc || !saved || size < PLAIN_ENV_MIN_CHARS) return parse();
  try {
    proc.env = { ...saved };
  } catch {
    return parse();
  }
  try {
    return parse();
  } finally {
    proc.env = saved;
  }
}

/**
 * Where to report a syntax error. The parser notices an unclosed `[`, `{` or quote only where the
 * text stops making sense (often the next line); people look for the opening character, so point
 * at the nearest unmatched-looking opener before that.
 */
function syntaxErrorOffset(text: string, offset: number, message: string): number {
  const opener = /end with a \]/.test(message)
    ? '['
    : /end with a \}/.test(message)
      ? '{'
      : /Missing closing "quote/.test(message)
        ? '"'
        : /Missing closing 'quote/.test(message)
          ? "'"
          : undefined;
  if (!opener) return offset;
  const at = text.lastIndexOf(opener, Math.max(0, offset - 1));
  return at >= 0 ? at : offset;
}

export interface ParseOptions {
  /** false: read strict JSON with the YAML parser, not JSON.parse (tests compare the two). */
  fastJson?: boolean;
  /** false: read YAML only with the `yaml` package (tests compare the two readers). */
  fastYaml?: boolean;
}

/**
 * Parses a flow written in YAML or JSON. Strict JSON goes through JSON.parse, and the common
 * subset of YAML through a fast reader; everything else (and all they give up on, errors
 * included) through the `yaml` package's YAML 1.2 parser, which also finds the positions of a
 * JSON document when a diagnostic needs them. All give the same values and positions. Never
 * throws: problems come back as diagnostics.
 */
export function parseFlowText(text: string, file?: string, options: ParseOptions = {}): ParsedFlow {
  return limitNesting(text, file, parseAnyFlowText(text, file, options));
}

/** A stack overflow inside a parser, as the `yaml` package or the engine words it. */
const STACK_OVERFLOW = /call stack|too much recursion/i;

/**
 * Refuses documents nested deeper than MAX_NESTING_DEPTH with WEFT060, at the value that passes
 * it: parsed ones by walking the value, and ones whose parser ran out of stack (reported as a
 * syntax error) by counting the nesting in the text.
 */
function limitNesting(text: string, file: string | undefined, parsed: ParsedFlow): ParsedFlow {
  const tooDeep = (pos: { line: number; col: number }, pointer = '') =>
    result(file, parsed.sourceMap, undefined, [
      {
        ...diag(
          'WEFT060',
          `the document nests deeper than ${MAX_NESTING_DEPTH} levels here; flows are limited to ${MAX_NESTING_DEPTH}`,
          pos,
          'flatten the data, or move deep step structures into child flows',
        ),
        pointer,
      },
    ]);
  if (parsed.value !== undefined) {
    const path = tooDeepPath(parsed.value);
    if (!path) return parsed;
    const pointer = toPointer(path);
    const pos = parsed.sourceMap.position(pointer);
    const at = pos.line === 1 && pos.col === 1 ? tooDeepOffset(text) : undefined;
    return tooDeep(at === undefined ? pos : parsed.sourceMap.toPosition(at), pointer);
  }
  if (!parsed.diagnostics.some((d) => STACK_OVERFLOW.test(d.message))) return parsed;
  const at = tooDeepOffset(text);
  return tooDeep(at === undefined ? { line: 1, col: 1 } : parsed.sourceMap.toPosition(at));
}

function parseAnyFlowText(
  text: string,
  file: string | undefined,
  options: ParseOptions,
): ParsedFlow {
  const size = byteLength(text);
  if (size > MAX_DOCUMENT_BYTES) {
    return result(file, new SourceMap(), undefined, [
      diag(
        'WEFT002',
        `the document is ${(size / 1024 / 1024).toFixed(1)} MB; flows are limited to 5 MB`,
        { line: 1, col: 1 },
        'split it into child flow files',
      ),
    ]);
  }
  if (options.fastJson !== false && /^\uFEFF?\s*[{[]/.test(text)) {
    const json = parseJson(text, file);
    if (json) return json;
  }
  if (options.fastYaml !== false) {
    const yaml = parseYamlSubset(text);
    // The subset reader only accepts a non-empty block mapping at the root: no checkRoot needed.
    if (yaml) return result(file, new SourceMap(text, yaml.positions), yaml.value, []);
  }
  return parseYaml(text, file);
}

function result(
  file: string | undefined,
  sourceMap: SourceMap,
  value: unknown,
  diagnostics: Diagnostic[],
): ParsedFlow {
  return file === undefined
    ? { value, sourceMap, diagnostics }
    : { value, sourceMap, diagnostics, file };
}

/** Strict JSON, read by JSON.parse; undefined when the YAML parser must read it. */
function parseJson(text: string, file: string | undefined): ParsedFlow | undefined {
  const parsed = readJson(text);
  if (!parsed) return undefined;
  return checkRoot(file, new SourceMap(text, () => jsonPositions(text)), parsed.value);
}

/** Where everything in a JSON document is, read by the YAML parser when first asked for. */
function jsonPositions(text: string): DocumentPositions | undefined {
  const doc = withPlainEnv(text.length, () => parseDocument(text, { prettyErrors: false }));
  return documentPositions(doc.contents as YamlNode | null);
}

function checkRoot(file: string | undefined, sourceMap: SourceMap, value: unknown): ParsedFlow {
  if (value === null || value === undefined) {
    return result(file, sourceMap, undefined, [
      diag('WEFT005', 'the document is empty: a flow needs at least `flow:` and `steps:`', {
        line: 1,
        col: 1,
      }),
    ]);
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return result(file, sourceMap, undefined, [
      diag(
        'WEFT005',
        'the document root must be a mapping with `flow:` and `steps:`',
        sourceMap.position(''),
      ),
    ]);
  }
  return result(file, sourceMap, value, []);
}

function parseYaml(text: string, file: string | undefined): ParsedFlow {
  const lines = new LineCounter();
  const errorMap = new SourceMap(lines);
  const failed = (diagnostics: Diagnostic[]) => result(file, errorMap, undefined, diagnostics);

  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = withPlainEnv(text.length, () =>
      parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }),
    );
  } catch (err) {
    return failed([
      diag('WEFT001', `cannot parse the document: ${String(err)}`, { line: 1, col: 1 }),
    ]);
  }

  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const pos = errorMap.toPosition(syntaxErrorOffset(text, error.pos[0], error.message));
    const first = error.message.split('\n')[0] ?? error.message;
    if (error.code === 'DUPLICATE_KEY') {
      diagnostics.push(
        diag('WEFT004', 'duplicate key: each key may appear only once in a mapping', pos),
      );
    } else {
      diagnostics.push(diag('WEFT001', `syntax error: ${first}`, pos));
    }
  }
  if (diagnostics.length > 0) return failed(diagnostics);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/alias/i.test(message)) {
      return failed([
        diag(
          'WEFT003',
          `aliases expand too far (more than ${MAX_ALIAS_COUNT} aliased nodes); this looks like an alias bomb`,
          errorMap.toPosition(firstAliasOffset(doc) ?? 0),
          'write the values out, or use fewer anchors and aliases',
        ),
      ]);
    }
    return failed([diag('WEFT001', `cannot read the document: ${message}`, { line: 1, col: 1 })]);
  }

  return checkRoot(
    file,
    new SourceMap(lines, documentPositions(doc.contents as YamlNode | null)),
    value,
  );
}
