/**
 * Live validation with the CLI's own validator (interpreter/dsl, browser-safe), so the canvas,
 * the problems panel and `weft validate` always agree.
 */
import { checkFlowText, type Diagnostic } from '../../../interpreter/dsl';
import type { ActivityManifest } from '../../../interpreter/model';
import { checkOwsText, isOwsText } from './ows';

export type DesignerDiagnostic = Diagnostic;

export function validateText(
  text: string,
  manifest: ActivityManifest | undefined,
  file?: string,
): DesignerDiagnostic[] {
  if (isOwsText(text)) return checkOwsText(text, manifest, file);
  const options: { manifest?: ActivityManifest; file?: string } = {};
  if (manifest) options.manifest = manifest;
  if (file !== undefined) options.file = file;
  return checkFlowText(text, options).diagnostics;
}

export { convertOwsText } from './ows';
