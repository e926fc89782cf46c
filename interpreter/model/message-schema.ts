/**
 * The JSON Schema keywords a signal or update `input` schema may use: the ones the sandbox's
 * checker (workflow/schema.ts) enforces, plus annotations that assert nothing. `weft validate`
 * refuses any other keyword (WEFT063), so a payload schema is either enforced in full inside the
 * run or refused before it starts, never silently half-checked. The client and the API check the
 * same schemas with ajv before sending, so both sides agree on every keyword listed here.
 */

import { escapeSegment } from './ids';

/** Keywords that assert something, each enforced by the sandbox checker. */
export const ENFORCED_KEYWORDS = [
  'type',
  'enum',
  'const',
  'multipleOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'required',
  'properties',
  'patternProperties',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'dependentRequired',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
] as const;

/** Keywords that only describe: nothing to enforce. */
export const ANNOTATION_KEYWORDS = [
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
] as const;

const ALLOWED: readonly string[] = Object.freeze([...ENFORCED_KEYWORDS, ...ANNOTATION_KEYWORDS]);

/** Keywords whose value is one subschema. */
const ONE: readonly string[] = Object.freeze([
  'items',
  'contains',
  'additionalProperties',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
]);
/** Keywords whose value is a list of subschemas. */
const LIST: readonly string[] = Object.freeze(['prefixItems', 'allOf', 'anyOf', 'oneOf']);
/** Keywords whose value maps names to subschemas. */
const MAP: readonly string[] = Object.freeze(['properties', 'patternProperties']);

export interface UnenforcedKeyword {
  /** JSON pointer of the schema object holding the keyword, relative to the schema's root. */
  pointer: string;
  keyword: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Every keyword in `schema` (subschemas included) that the sandbox would not enforce, in
 * document order. Values under `properties`, `patternProperties` and the like are names, not
 * keywords; annotation values (`default`, `examples`) are never walked.
 */
export function unenforcedKeywords(schema: unknown, pointer = ''): UnenforcedKeyword[] {
  const found: UnenforcedKeyword[] = [];
  walk(schema, pointer, found);
  return found;
}

function walk(schema: unknown, at: string, found: UnenforcedKeyword[]): void {
  if (!isObject(schema)) return;
  for (const [key, value] of Object.entries(schema)) {
    if (!ALLOWED.includes(key)) {
      found.push({ pointer: at, keyword: key });
      continue;
    }
    const here = `${at}/${escapeSegment(key)}`;
    if (ONE.includes(key)) walk(value, here, found);
    else if (LIST.includes(key) && Array.isArray(value))
      for (const [i, sub] of value.entries()) walk(sub, `${here}/${i}`, found);
    else if (MAP.includes(key) && isObject(value))
      for (const [name, sub] of Object.entries(value))
        walk(sub, `${here}/${escapeSegment(name)}`, found);
  }
}
