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
export { flowSchema } from './schema';
export { fullSchemaValidator } from './schema-full';
export { type Position, SourceMap } from './source-map';
export {
  decodeUtf8,
  findInvalidUtf8,
  type Utf8Error,
  utf8Diagnostic,
  utf8Message,
} from './utf8';
export { MAX_STEPS, type ValidateOptions, validateFlow } from './validate';
