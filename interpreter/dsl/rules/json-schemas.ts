import type { ErrorObject } from 'ajv/dist/2020';
import { escapeSegment } from '../../model';
import { META_ID, metaAjv } from '../meta-schema';
import { defaultMetaValidator } from '../meta-schema-compile';
import { isRecord, type Rule } from './context';

/**
 * What ajv's `validateSchema` answers: undefined when `schema` is valid against its meta-schema,
 * else its first error (null when ajv gives none). The default meta-schema has a validator of its
 * own (generated ahead of time in the compiled CLI); any other goes through ajv itself.
 */
function metaSchemaProblem(schema: Record<string, unknown>): ErrorObject | null | undefined {
  if (schema.$schema === undefined || schema.$schema === META_ID) {
    const fn = defaultMetaValidator();
    return fn(schema) ? undefined : (fn.errors?.[0] ?? null);
  }
  const ajv = metaAjv();
  return ajv.validateSchema(schema) === true ? undefined : (ajv.errors?.[0] ?? null);
}

function check(
  schema: unknown,
  pointer: string,
  report: Parameters<Rule['check']>[0]['report'],
): void {
  if (!isRecord(schema)) return;
  const first = metaSchemaProblem(schema);
  if (first === undefined) return;
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
