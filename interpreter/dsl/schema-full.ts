import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import schemaJson from '../../schema/flow.schema.json';

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
