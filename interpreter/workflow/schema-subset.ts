import type { JsonSchema } from '../model/types';

/**
 * The sandbox's payload check before 2026-12-01 (PATCHES.messageSchemaKeywords), kept verbatim
 * so signals recorded before it replay: type, enum, const, minimum, maximum, minLength,
 * maxLength, items, required, properties and `additionalProperties: false`, with lengths in
 * UTF-16 units and `enum`/`const` compared by JSON text. Every other keyword passed.
 */
export function checkSchemaSubset(
  schema: JsonSchema | undefined,
  value: unknown,
  at = '',
): string | undefined {
  if (schema === undefined || schema === true) return undefined;
  if (schema === false) return `${at || '/'} is not allowed`;
  const s = schema as Record<string, unknown>;
  const where = at || '/';
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => isType(value, t))) return `${where} must be ${types.join(' or ')}`;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    return `${where} must be one of ${JSON.stringify(s.enum)}`;
  }
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value)) {
    return `${where} must be ${JSON.stringify(s.const)}`;
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum)
      return `${where} must be >= ${s.minimum}`;
    if (typeof s.maximum === 'number' && value > s.maximum)
      return `${where} must be <= ${s.maximum}`;
  }
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength)
      return `${where} is too short`;
    if (typeof s.maxLength === 'number' && value.length > s.maxLength)
      return `${where} is too long`;
  }
  if (Array.isArray(value) && s.items !== undefined) {
    for (let i = 0; i < value.length; i++) {
      const problem = checkSchemaSubset(s.items as JsonSchema, value[i], `${at}/${i}`);
      if (problem) return problem;
    }
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? []) {
      if (!(key in obj)) return `${where} must have property '${key}'`;
    }
    const props = (s.properties ?? {}) as Record<string, JsonSchema>;
    for (const [key, sub] of Object.entries(props)) {
      if (key in obj) {
        const problem = checkSchemaSubset(sub, obj[key], `${at}/${key}`);
        if (problem) return problem;
      }
    }
    if (s.additionalProperties === false) {
      const extra = Object.keys(obj).find((k) => !(k in props));
      if (extra !== undefined) return `${where} must not have property '${extra}'`;
    }
  }
  return undefined;
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}
