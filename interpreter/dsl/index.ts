export { type CheckOptions, type CheckResult, checkFlowText } from './check';
export { COMPILE_DEFAULTS, type CompileOptions, type CompileResult, compileFlow } from './compile';
export { MAX_NESTING_DEPTH } from './depth';
export {
  CATALOG,
  type Diagnostic,
  type DiagnosticCode,
  formatDiagnostic,
  hasErrors,
  type Severity,
  sortDiagnostics,
} from './diagnostics';
export { parseDuration } from './duration';
export { FORBIDDEN_FUNCTIONS, scanTemplate } from './expressions';
export { canonicalJson, contentHash, sha256Hex } from './hash';
export {
  MAX_ALIAS_COUNT,
  MAX_DOCUMENT_BYTES,
  type ParsedFlow,
  type ParseOptions,
  parseFlowText,
} from './parse';
export { flowSchema, fullSchemaValidator } from './schema';
export { type Position, SourceMap } from './source-map';
export { decodeUtf8, findInvalidUtf8, type Utf8Error, utf8Message } from './utf8';
export { MAX_STEPS, type ValidateOptions, validateFlow } from './validate';

/**
 * Node only: reads, validates and compiles a flow file and its child flow files. It lives in
 * ./node and is imported lazily, so importing this index never pulls `node:*` into a browser.
 */
export async function loadFlowFile(
  path: string,
  options: { manifest?: import('../model').ActivityManifest } = {},
): Promise<import('./node').LoadResult> {
  // A specifier bundlers do not follow: browser bundles (the designer) never include ./node.
  const node = (await import(/* @vite-ignore */ NODE_ENTRY)) as typeof import('./node');
  return node.loadFlowFile(path, options);
}

const NODE_ENTRY = './node';
