import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { escapeSegment } from '../../model';
import { isRecord, type Rule } from './context';

// Checked against the draft 2020-12 meta-schema only: compiling would cache every schema object
// in the ajv instance, and a long-running API validates new objects on every request.
const ajv = new Ajv2020({ allErrors: false, strict: false, logger: false });
addFormats(ajv);

function check(
  schema: unknown,
  pointer: string,
  report: Parameters<Rule['check']>[0]['report'],
): void {
  if (!isRecord(schema)) return;
  if (ajv.validateSchema(schema) === true) return;
  const first = ajv.errors?.[0];
  const where = first?.instancePath ? `${first.instancePath.slice(1).replace(/\//g, '.')} ` : '';
  report(
    'WEFT033',
    pointer,
    `this is not a valid JSON Schema: ${where}${first?.message ?? 'invalid'}`,
    {
      hint: 'inputs are checked against it before the flow starts or the message is accepted',
    },
  );
}

/** The JSON Schemas a flow declares (flow input, signal and update payloads) must compile. */
export const jsonSchemas: Rule = {
  name: 'json-schemas',
  check({ flows, report }) {
    for (const f of flows) {
      check(f.body.input, `${f.pointer}/input`, report);
      for (const key of ['signals', 'updates'] as const) {
        const handlers = f.body[key];
        if (!isRecord(handlers)) continue;
        for (const [name, h] of Object.entries(handlers)) {
          if (isRecord(h))
            check(h.input, `${f.pointer}/${key}/${escapeSegment(name)}/input`, report);
        }
      }
    }
  },
};
