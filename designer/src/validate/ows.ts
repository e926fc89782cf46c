/**
 * Serverless Workflow (OWS) documents in the designer: shown as the Weft flow they convert to,
 * checked as the CLI checks them (interpreter/ows/node.ts), minus the OpenAPI documents a
 * `call: openapi` names, which the page cannot read (a file path, or a URL the browser may not
 * reach); the CLI and `weft serve` read them.
 */
import { checkFlowText, type Diagnostic } from '../../../interpreter/dsl';
import type { ActivityManifest } from '../../../interpreter/model';
import {
  convertOws,
  isOwsText,
  type OwsConversion,
  owsPointerFor,
} from '../../../interpreter/ows/convert';

export { isOwsText };

const OPENAPI_UNREAD =
  'the designer does not read OpenAPI documents; `weft validate`, `weft run` and `weft serve` do';

/** Converts OWS text as the designer can (no OpenAPI documents). */
export function convertOwsText(text: string, file?: string): OwsConversion {
  return convertOws(text, {
    ...(file !== undefined ? { file } : {}),
    openapi: () => ({ error: OPENAPI_UNREAD }),
  });
}

/**
 * The conversion's diagnostics (WEFT080-084, on the OWS text), then Weft's own on the converted
 * flow, placed at the OWS task they came from.
 */
export function checkOwsText(
  text: string,
  manifest: ActivityManifest | undefined,
  file?: string,
): Diagnostic[] {
  const conversion = convertOwsText(text, file);
  if (!conversion.flow) return conversion.diagnostics;
  const options: { manifest?: ActivityManifest; file?: string } = {};
  if (manifest) options.manifest = manifest;
  if (file !== undefined) options.file = file;
  const converted = checkFlowText(JSON.stringify(conversion.flow), options).diagnostics;
  return [
    ...conversion.diagnostics,
    ...converted.map((d) => {
      const pointer = owsPointerFor(conversion, d.pointer);
      const { line, col } = pointer ? conversion.position(pointer) : { line: 1, col: 1 };
      return {
        ...d,
        line,
        col,
        // The converted flow's pointer: the canvas draws that flow, so its node gets the mark.
        message: `${d.message} (in the converted flow at ${d.pointer || '/'}; see \`weft import\`)`,
      };
    }),
  ];
}
