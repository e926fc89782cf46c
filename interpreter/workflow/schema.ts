import type { JsonSchema } from '../model/types';

/**
 * The sandbox's check of signal and update payloads against their `input` schema (ajv is
 * Node-side). It enforces every keyword in model/message-schema.ts ENFORCED_KEYWORDS, as ajv
 * (draft 2020-12) does, and `weft validate` refuses any other keyword (WEFT063). Returns the
 * first problem as text, or undefined when the value fits.
 */
export function checkSchema(schema: JsonSchema | undefined, value: unknown): string | undefined {
  return check(schema, value, '');
}

function check(schema: JsonSchema | undefined, value: unknown, at: string): string | undefined {
  if (schema === undefined || schema === true) return undefined;
  const where = at || '/';
  if (schema === false) return `${where} is not allowed`;
  const s = schema as Record<string, unknown>;
  return (
    checkAny(s, value, where) ??
    (typeof value === 'number' ? checkNumber(s, value, where) : undefined) ??
    (typeof value === 'string' ? checkString(s, value, where) : undefined) ??
    (Array.isArray(value) ? checkArray(s, value, at, where) : undefined) ??
    (isObject(value) ? checkObject(s, value, at, where) : undefined) ??
    checkCombined(s, value, at, where)
  );
}

function checkAny(s: Record<string, unknown>, value: unknown, where: string): string | undefined {
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => isType(value, t))) return `${where} must be ${types.join(' or ')}`;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value))) {
    return `${where} must be one of ${JSON.stringify(s.enum)}`;
  }
  if ('const' in s && !equal(s.const, value)) return `${where} must be ${JSON.stringify(s.const)}`;
  return undefined;
}

function checkNumber(s: Record<string, unknown>, value: number, where: string): string | undefined {
  const { minimum, maximum, exclusiveMinimum: xmin, exclusiveMaximum: xmax, multipleOf } = s;
  if (typeof minimum === 'number' && value < minimum) return `${where} must be >= ${minimum}`;
  if (typeof maximum === 'number' && value > maximum) return `${where} must be <= ${maximum}`;
  if (typeof xmin === 'number' && value <= xmin) return `${where} must be > ${xmin}`;
  if (typeof xmax === 'number' && value >= xmax) return `${where} must be < ${xmax}`;
  // ajv's test (without multipleOfPrecision): the quotient is an integer.
  if (typeof multipleOf === 'number' && !Number.isInteger(value / multipleOf))
    return `${where} must be a multiple of ${multipleOf}`;
  return undefined;
}

function checkString(s: Record<string, unknown>, value: string, where: string): string | undefined {
  // Lengths count code points, as ajv does: an emoji is one character.
  const length = [...value].length;
  if (typeof s.minLength === 'number' && length < s.minLength)
    return `${where} must not have fewer than ${s.minLength} characters`;
  if (typeof s.maxLength === 'number' && length > s.maxLength)
    return `${where} must not have more than ${s.maxLength} characters`;
  if (typeof s.pattern === 'string' && !matches(s.pattern, value))
    return `${where} must match pattern "${s.pattern}"`;
  return undefined;
}

function checkArray(
  s: Record<string, unknown>,
  value: unknown[],
  at: string,
  where: string,
): string | undefined {
  if (typeof s.minItems === 'number' && value.length < s.minItems)
    return `${where} must not have fewer than ${s.minItems} items`;
  if (typeof s.maxItems === 'number' && value.length > s.maxItems)
    return `${where} must not have more than ${s.maxItems} items`;
  if (s.uniqueItems === true) {
    for (let i = 1; i < value.length; i++) {
      for (let j = 0; j < i; j++) {
        if (equal(value[i], value[j]))
          return `${where} must not have duplicate items (items ${j} and ${i} are identical)`;
      }
    }
  }
  const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as JsonSchema[]) : [];
  for (let i = 0; i < value.length; i++) {
    const sub = i < prefix.length ? prefix[i] : (s.items as JsonSchema | undefined);
    const problem = check(sub, value[i], `${at}/${i}`);
    if (problem) return problem;
  }
  if (s.contains !== undefined) {
    const count = value.filter((v) => check(s.contains as JsonSchema, v, '') === undefined).length;
    const min = typeof s.minContains === 'number' ? s.minContains : 1;
    if (count < min) return `${where} must contain at least ${min} valid item(s)`;
    if (typeof s.maxContains === 'number' && count > s.maxContains)
      return `${where} must contain at most ${s.maxContains} valid item(s)`;
  }
  return undefined;
}

function checkObject(
  s: Record<string, unknown>,
  obj: Record<string, unknown>,
  at: string,
  where: string,
): string | undefined {
  const keys = Object.keys(obj);
  for (const key of (s.required as string[] | undefined) ?? []) {
    if (!(key in obj)) return `${where} must have property '${key}'`;
  }
  if (typeof s.minProperties === 'number' && keys.length < s.minProperties)
    return `${where} must not have fewer than ${s.minProperties} properties`;
  if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties)
    return `${where} must not have more than ${s.maxProperties} properties`;
  const dependent = (s.dependentRequired ?? {}) as Record<string, string[]>;
  for (const [key, needs] of Object.entries(dependent)) {
    if (!(key in obj)) continue;
    const missing = needs.find((n) => !(n in obj));
    if (missing !== undefined)
      return `${where} must have property '${missing}' when property '${key}' is present`;
  }
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, JsonSchema>);
  for (const key of keys) {
    const path = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (s.propertyNames !== undefined) {
      const problem = check(s.propertyNames as JsonSchema, key, '');
      if (problem) return `${where} has an invalid property name '${key}'`;
    }
    let known = false;
    if (Object.hasOwn(props, key)) {
      known = true;
      const problem = check(props[key], obj[key], path);
      if (problem) return problem;
    }
    for (const [pattern, sub] of patterns) {
      if (!matches(pattern, key)) continue;
      known = true;
      const problem = check(sub, obj[key], path);
      if (problem) return problem;
    }
    if (!known && s.additionalProperties !== undefined) {
      if (s.additionalProperties === false) return `${where} must not have property '${key}'`;
      const problem = check(s.additionalProperties as JsonSchema, obj[key], path);
      if (problem) return problem;
    }
  }
  return undefined;
}

function checkCombined(
  s: Record<string, unknown>,
  value: unknown,
  at: string,
  where: string,
): string | undefined {
  if (Array.isArray(s.allOf)) {
    for (const sub of s.allOf as JsonSchema[]) {
      const problem = check(sub, value, at);
      if (problem) return problem;
    }
  }
  if (Array.isArray(s.anyOf)) {
    const subs = s.anyOf as JsonSchema[];
    if (!subs.some((sub) => check(sub, value, at) === undefined))
      return `${where} must match a schema in anyOf`;
  }
  if (Array.isArray(s.oneOf)) {
    const passing = (s.oneOf as JsonSchema[]).filter((sub) => check(sub, value, at) === undefined);
    if (passing.length !== 1)
      return `${where} must match exactly one schema in oneOf (it matches ${passing.length})`;
  }
  if (s.not !== undefined && check(s.not as JsonSchema, value, at) === undefined)
    return `${where} must not be valid against the schema in not`;
  if (s.if !== undefined) {
    const branch = check(s.if as JsonSchema, value, at) === undefined ? s.then : s.else;
    if (branch !== undefined) {
      const problem = check(branch as JsonSchema, value, at);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * `pattern` as ajv runs it: a unicode RegExp, unanchored. `weft validate` refuses a pattern that
 * does not compile (WEFT033); one that reaches the sandbox anyway fails every value, as ajv
 * refuses to compile it.
 */
function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

/** JSON equality, key order ignored (as ajv's `enum`, `const` and `uniqueItems`). */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]))
    );
  }
  return false;
}
