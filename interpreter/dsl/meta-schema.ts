import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** The meta-schema a flow's JSON Schemas follow unless they name another with `$schema`. */
export const META_ID = 'https://json-schema.org/draft/2020-12/schema';

/** ajv's settings for checking a flow's JSON Schemas, wherever the check is compiled. */
export const META_AJV_OPTIONS = { allErrors: false, strict: false, logger: false } as const;

let ajv: Ajv2020 | undefined;

/**
 * The ajv instance that checks a flow's JSON Schemas against their meta-schema, made when first
 * needed. Checked only, never compiled: compiling would cache every schema object in it, and a
 * long-running API validates new objects on every request.
 */
export function metaAjv(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020(META_AJV_OPTIONS);
    addFormats(ajv);
  }
  return ajv;
}
