import type { ErrorObject } from 'ajv/dist/2020';
import schemaJson from '../../schema/flow.schema.json';
import type { StepKind } from '../model';
import { shapeValidators } from './schema-compile';

/** The DSL's JSON Schema (draft 2020-12), the language's source of truth. */
export const flowSchema: Record<string, unknown> = schemaJson;

// Once per process (module level): compiling is the expensive part of ajv.
const validators = shapeValidators();

export const validateDocumentShape = validators.document;

export function validateStepShape(kind: StepKind, step: unknown): ErrorObject[] {
  const fn = validators.step(kind);
  return fn(step) ? [] : [...(fn.errors ?? [])];
}

/** Definitions whose failures are reported by a dedicated rule or with a dedicated code. */
export const defs = validators.shallow.$defs;

/** The keys a step of this kind may have, for "did you mean". */
export function stepKeys(kind: StepKind): string[] {
  const def = defs[`${kind}Step`];
  return Object.keys((def?.properties as Record<string, unknown>) ?? {});
}

export type { ErrorObject };
