import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import schemaJson from '../../schema/flow.schema.json';
import { STEP_KINDS, type StepKind } from '../model';

/** The DSL's JSON Schema (draft 2020-12), the language's source of truth. */
export const flowSchema: Record<string, unknown> = schemaJson;

type SchemaObject = Record<string, unknown> & { $defs: Record<string, Record<string, unknown>> };

const SHALLOW_ID = 'https://weft.dev/schema/flow.shallow.schema.json';

/**
 * A copy of the schema in which `#/$defs/step` accepts any object. The document is checked with
 * it once, and then every step once against its own kind's definition: each value is visited a
 * single time (linear), and a misspelt step gets one precise error instead of the fourteen that
 * a `oneOf` over the kinds would produce.
 */
function shallowSchema(): SchemaObject {
  const copy = structuredClone(schemaJson) as unknown as SchemaObject;
  copy.$id = SHALLOW_ID;
  copy.$defs.step = { type: 'object' };
  return copy;
}

const shallow = shallowSchema();

// Compiled once per process (module level): compiling is the expensive part of ajv.
const ajv = new Ajv2020({
  allErrors: true,
  verbose: true,
  strictSchema: true,
  strictTypes: false,
  strictRequired: false,
  allowUnionTypes: true,
});
ajv.addSchema(shallow);

function mustGet(ref: string): ValidateFunction {
  const fn = ajv.getSchema(ref);
  if (!fn) throw new Error(`schema reference not found: ${ref}`);
  return fn;
}

export const validateDocumentShape = mustGet(SHALLOW_ID);

const byKind = new Map<StepKind, ValidateFunction>(
  STEP_KINDS.map((k) => [k, mustGet(`${SHALLOW_ID}#/$defs/${k}Step`)]),
);

export function validateStepShape(kind: StepKind, step: unknown): ErrorObject[] {
  const fn = byKind.get(kind)!;
  return fn(step) ? [] : [...(fn.errors ?? [])];
}

/** The keys a step of this kind may have, for "did you mean". */
export function stepKeys(kind: StepKind): string[] {
  const def = shallow.$defs[`${kind}Step`];
  return Object.keys((def?.properties as Record<string, unknown>) ?? {});
}

/** Definitions whose failures are reported by a dedicated rule or with a dedicated code. */
export const defs = shallow.$defs;

let full: ValidateFunction | undefined;
/** The unmodified schema, compiled on first use (tests and tools; the validator uses the shallow one). */
export function fullSchemaValidator(): ValidateFunction {
  if (!full) {
    const other = new Ajv2020({
      allErrors: false,
      strictSchema: true,
      strictTypes: false,
      strictRequired: false,
      allowUnionTypes: true,
    });
    full = other.compile(schemaJson);
  }
  return full;
}

export type { ErrorObject };
