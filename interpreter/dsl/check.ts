import type { ActivityManifest } from '../model';
import { type Diagnostic, hasErrors } from './diagnostics';
import { parseFlowText } from './parse';
import { tooLargeToStart, validateFlow } from './validate';

export interface CheckOptions {
  file?: string;
  manifest?: ActivityManifest;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** The parsed value, when the text parses (even if it has other errors). */
  value?: unknown;
}

/** Parse and validate in one call. Browser-safe: the designer runs it on every edit. */
export function checkFlowText(text: string, options: CheckOptions = {}): CheckResult {
  const parsed = parseFlowText(text, options.file);
  const diagnostics = validateFlow(parsed, options);
  // Callers here do not compile (compileFlow measures the compiled flow exactly): a document
  // too large to start is said now, not at the first run.
  if (parsed.value !== undefined && !hasErrors(diagnostics)) {
    const tooLarge = tooLargeToStart(parsed, options.file ?? parsed.file);
    if (tooLarge) diagnostics.push(tooLarge);
  }
  return parsed.value === undefined ? { diagnostics } : { diagnostics, value: parsed.value };
}
