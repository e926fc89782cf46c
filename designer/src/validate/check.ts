/**
 * Live validation with the CLI's own validator (interpreter/dsl, browser-safe), so the canvas,
 * the problems panel and `weft validate` always agree.
 */
import { checkFlowText, type Diagnostic } from '../../../interpreter/dsl';
import type { ActivityManifest } from '../../../interpreter/model';

export type DesignerDiagnostic = Diagnostic;

export function validateText(
  text: string,
  manifest: ActivityManifest | undefined,
  file?: string,
): DesignerDiagnostic[] {
  const options: { manifest?: ActivityManifest; file?: string } = {};
  if (manifest) options.manifest = manifest;
  if (file !== undefined) options.file = file;
  return checkFlowText(text, options).diagnostics;
}
