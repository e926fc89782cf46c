import type { ValidateFunction } from 'ajv/dist/2020';
import { META_ID, metaAjv } from './meta-schema';

/**
 * The validator of the default meta-schema, compiled by ajv when first used. The compiled CLI
 * replaces this module with the same validator generated ahead of time (./schema-standalone):
 * compiling the draft 2020-12 meta-schema cost more than checking a whole flow.
 */
export function defaultMetaValidator(): ValidateFunction {
  const fn = metaAjv().getSchema(META_ID);
  if (!fn) throw new Error(`meta-schema not found: ${META_ID}`);
  return fn;
}
