/**
 * The `input` a palette insert starts with, from the activity's input schema: its required keys
 * with placeholders of the right type, so a fresh step shows what to fill in, and a schema
 * with no required keys gives an input that is valid as it is.
 */

type Schema = Record<string, unknown>;

const MAX_DEPTH = 6;

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Follows a local `$ref` (`#/$defs/x`, `#/definitions/x`) inside the activity's schema. */
function deref(schema: Schema, root: Schema): Schema {
  let s = schema;
  for (let i = 0; i < MAX_DEPTH && typeof s.$ref === 'string' && s.$ref.startsWith('#/'); i++) {
    let target: unknown = root;
    for (const raw of s.$ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isSchema(target) ? target[key] : undefined;
    }
    if (!isSchema(target)) break;
    s = target;
  }
  return s;
}

function firstType(schema: Schema): string | undefined {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined;
  if (isSchema(schema.properties)) return 'object';
  return undefined;
}

function placeholder(schema: Schema, root: Schema, name: string, depth: number): unknown {
  const s = deref(schema, root);
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const alternatives = s.oneOf ?? s.anyOf;
  if (Array.isArray(alternatives) && isSchema(alternatives[0]) && firstType(s) === undefined)
    return placeholder(alternatives[0], root, name, depth);
  switch (firstType(s)) {
    case 'object':
      return depth >= MAX_DEPTH ? {} : requiredKeys(s, root, depth + 1);
    case 'array':
      return [];
    case 'number':
    case 'integer':
      return typeof s.minimum === 'number' ? s.minimum : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return `<${name}>`;
  }
}

function requiredKeys(schema: Schema, root: Schema, depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  const out: Record<string, unknown> = {};
  for (const key of required) {
    if (typeof key !== 'string') continue;
    const prop = properties[key];
    out[key] = placeholder(isSchema(prop) ? prop : {}, root, key, depth);
  }
  return out;
}

/** The input for a new step of an activity, or undefined when its schema asks for none. */
export function inputSkeleton(schema: unknown): unknown {
  if (!isSchema(schema)) return undefined;
  const s = deref(schema, schema);
  if (firstType(s) === undefined && s.default === undefined && s.enum === undefined)
    return undefined;
  return placeholder(s, schema, 'input', 0);
}
