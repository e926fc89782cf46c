import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { StepKind } from '../model';
import {
  SHALLOW_ID,
  SHAPE_AJV_OPTIONS,
  type ShapeValidators,
  shallowSchema,
  stepRef,
} from './schema-shape';

/**
 * Compiles the shape validators with ajv when the process starts using them. The compiled CLI
 * replaces this module with the same validators generated ahead of time (./schema-standalone),
 * because compiling the schema cost more than the rest of `weft validate`.
 */
export function shapeValidators(): ShapeValidators {
  const shallow = shallowSchema();
  const ajv = new Ajv2020(SHAPE_AJV_OPTIONS);
  ajv.addSchema(shallow);
  const get = (ref: string): ValidateFunction => {
    const fn = ajv.getSchema(ref);
    if (!fn) throw new Error(`schema reference not found: ${ref}`);
    return fn;
  };
  // A flow uses a few step kinds: each kind's validator is compiled when first needed.
  const byKind = new Map<StepKind, ValidateFunction>();
  return {
    shallow,
    document: get(SHALLOW_ID),
    step(kind) {
      let fn = byKind.get(kind);
      if (!fn) {
        fn = get(stepRef(kind));
        byKind.set(kind, fn);
      }
      return fn;
    },
  };
}
