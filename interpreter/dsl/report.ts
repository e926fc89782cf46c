import type { Diagnostic, DiagnosticCode, Severity } from './diagnostics';
import type { SourceMap } from './source-map';

export interface ReportOptions {
  /** Point at the key rather than the value (unknown keys, duplicate ids). */
  at?: 'key' | 'value';
  hint?: string;
  severity?: Severity;
}

export type Report = (
  code: DiagnosticCode,
  pointer: string,
  message: string,
  options?: ReportOptions,
) => void;

/** A reporter that turns pointers into positions and collects diagnostics, once per code+pointer. */
export function createReporter(sourceMap: SourceMap, out: Diagnostic[], file?: string): Report {
  const seen = new Set<string>();
  return (code, pointer, message, options = {}) => {
    const key = `${code} ${pointer}`;
    if (seen.has(key)) return;
    seen.add(key);
    const pos = sourceMap.position(pointer, options.at ?? 'value');
    const d: Diagnostic = {
      code,
      severity: options.severity ?? 'error',
      message,
      pointer,
      line: pos.line,
      col: pos.col,
    };
    if (options.hint) d.hint = options.hint;
    if (file !== undefined) d.file = file;
    out.push(d);
  };
}
