import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { CompiledFlow } from '../model';
import { checkJsonDepth } from './depth';
import { ClientError } from './errors';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const cache = new WeakMap<object, ValidateFunction>();

/**
 * Parses JSON given on a command line or in a request, with a message that says where. A value
 * nested deeper than MAX_JSON_DEPTH is refused here (WEFT_INPUT_TOO_DEEP), before anything
 * downstream recurses into it.
 */
export function parseJson(text: string, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new ClientError('WEFT_BAD_JSON', `${what} is not valid JSON: ${(err as Error).message}`);
  }
  checkJsonDepth(value, what);
  return value;
}

function describe(errors: ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ');
}

/**
 * Throws WEFT_INPUT_TOO_DEEP when `input` nests too deeply, and WEFT_INVALID_INPUT when it does
 * not match the flow's `input` schema.
 */
export function checkFlowInput(flow: CompiledFlow, input: unknown): void {
  checkJsonDepth(input, `the input of flow ${flow.flow}`);
  const schema = flow.input;
  if (schema === undefined || schema === true) return;
  let validate: ValidateFunction | undefined =
    typeof schema === 'object' ? cache.get(schema) : undefined;
  if (!validate) {
    validate = ajv.compile(schema);
    if (typeof schema === 'object') cache.set(schema, validate);
  }
  if (validate(input)) return;
  const errors = validate.errors ?? [];
  throw new ClientError(
    'WEFT_INVALID_INPUT',
    `input does not match the input schema of flow ${flow.flow}: ${describe(errors)}`,
    errors,
  );
}
