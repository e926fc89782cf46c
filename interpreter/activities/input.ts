import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '../model';
import { INVALID_INPUT, nonRetryable } from './errors';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

/** Compiled once per schema object: registries live as long as the worker. */
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction | undefined {
  if (schema === true || schema === undefined) return undefined;
  if (schema === false) return ajv.compile(false);
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Checks that a schema compiles, so a broken plugin fails at registration, not mid-flow. */
export function compileSchema(schema: JsonSchema): void {
  validatorFor(schema);
}

function describe(errors: ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ');
}

/** Throws the non-retryable `InvalidInput` failure when `input` does not match `schema`. */
export function checkInput(activity: string, schema: JsonSchema | undefined, input: unknown): void {
  if (schema === undefined) return;
  const validate = validatorFor(schema);
  if (!validate || validate(input)) return;
  const errors = validate.errors ?? [];
  throw nonRetryable(
    INVALID_INPUT,
    `${activity}: input does not match the activity's schema: ${describe(errors)}`,
    errors.map(({ instancePath, keyword, message, params }) => ({
      instancePath,
      keyword,
      message,
      params,
    })),
  );
}
