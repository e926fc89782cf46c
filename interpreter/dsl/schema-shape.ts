import type { ValidateFunction } from 'ajv/dist/2020';
import schemaJson from '../../schema/flow.schema.json';
import type { StepKind } from '../model';

export type SchemaObject = Record<string, unknown> & {
  $defs: Record<string, Record<string, unknown>>;
};

export const SHALLOW_ID = 'https://weft.dev/schema/flow.shallow.schema.json';

/** ajv's settings for the shape validators, wherever they are compiled. */
export const SHAPE_AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  strictSchema: true,
  strictTypes: false,
  strictRequired: false,
  allowUnionTypes: true,
} as const;

/**
 * A copy of the schema in which `#/$defs/step` accepts any object. The document is checked with
 * it once, and then every step once against its own kind's definition: each value is visited a
 * single time (linear), and a misspelt step gets one precise error instead of the fourteen that
 * a `oneOf` over the kinds would produce.
 */
export function shallowSchema(): SchemaObject {
  const copy = structuredClone(schemaJson) as unknown as SchemaObject;
  copy.$id = SHALLOW_ID;
  copy.$defs.step = { type: 'object' };
  return copy;
}

/** Where a step kind's definition lives in the shallow schema. */
export const stepRef = (kind: StepKind) => `${SHALLOW_ID}#/$defs/${kind}Step`;

/**
 * The document's and each step kind's validator, with the shallow schema they were compiled
 * from: errors point into it (`parentSchema`), and the error mapper recognises its nodes by
 * identity.
 */
export interface ShapeValidators {
  shallow: SchemaObject;
  document: ValidateFunction;
  step(kind: StepKind): ValidateFunction;
}
