import { type Diagnostic, hasErrors, parseFlowText, type SourceMap } from '../dsl';
import { compileText, loadFlowFile } from '../dsl/node';
import type { ActivityManifest } from '../model';

/**
 * A flow as written, for pictures and diffs: the parsed value (what the designer draws, not the
 * compiled form, so names and branch order are the author's) with its source map, once the flow
 * has passed the same validation as `weft validate`.
 */
export interface ReviewedFlow {
  file: string;
  value: unknown;
  sourceMap: SourceMap;
  /** Warnings (and, when `ok` is false, errors), positioned as `weft validate` prints them. */
  diagnostics: Diagnostic[];
  ok: boolean;
}

function finish(
  file: string,
  text: string,
  diagnostics: Diagnostic[],
): ReviewedFlow | { ok: false; file: string; diagnostics: Diagnostic[] } {
  const withFile = diagnostics.map((d) => ({ ...d, file: d.file ?? file }));
  if (hasErrors(withFile)) return { ok: false, file, diagnostics: withFile };
  const parsed = parseFlowText(text, file);
  return {
    ok: true,
    file,
    value: parsed.value,
    sourceMap: parsed.sourceMap,
    diagnostics: withFile,
  };
}

/** Reads and validates a flow file (child flow files resolve next to it). */
export function reviewFlowFile(
  file: string,
  manifest?: ActivityManifest,
): ReviewedFlow | { ok: false; file: string; diagnostics: Diagnostic[] } {
  const loaded = loadFlowFile(file, manifest ? { manifest } : {});
  return finish(file, loaded.text, loaded.diagnostics);
}

/** The same for flow text that is said to live at `file` (an assistant's draft, say). */
export function reviewFlowText(
  text: string,
  file: string,
  manifest?: ActivityManifest,
): ReviewedFlow | { ok: false; file: string; diagnostics: Diagnostic[] } {
  return finish(file, text, compileText(text, file, manifest ? { manifest } : {}).diagnostics);
}
