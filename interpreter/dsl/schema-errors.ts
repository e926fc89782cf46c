import { escapeSegment } from '../model';
import type { Report } from './report';
import { defs, type ErrorObject } from './schema';
import { didYouMean } from './suggest';

type Def = Record<string, unknown>;
const prop = (def: Def | undefined, key: string): unknown =>
  (def?.properties as Record<string, unknown> | undefined)?.[key];

// Schema nodes whose failures a rule reports in its own words (and so are dropped here).
const durationDef = defs.duration as Def;
const sleepDef = prop(defs.sleepStep, 'sleep') as Def;
const DURATION_NODES = new Set<unknown>([
  durationDef,
  ...((durationDef.anyOf as unknown[]) ?? []),
  sleepDef,
  ...((sleepDef.anyOf as unknown[]) ?? []),
]);
const retryProps = defs.retryPolicy?.properties as Record<string, unknown>;
const RETRY_RANGE_NODES = new Set<unknown>([
  retryProps.backoffCoefficient,
  retryProps.maximumAttempts,
]);
const waitDef = prop(defs.waitStep, 'wait') as Def;
const WAIT_ALTERNATIVES = new Set<unknown>((waitDef.anyOf as unknown[]) ?? []);
const expressionDef = defs.expression;

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

/** The schema's description of a key, as a hint on how to fill it in. */
function describeKey(schema: unknown, key: string): string | undefined {
  const props = (
    schema as { properties?: Record<string, { description?: unknown; $ref?: string }> }
  )?.properties;
  const prop = props?.[key];
  if (!prop) return undefined;
  if (typeof prop.description === 'string') return `${key}: ${prop.description}`;
  const ref = prop.$ref?.startsWith('#/$defs/') ? defs[prop.$ref.slice(8)] : undefined;
  return typeof ref?.description === 'string' ? `${key}: ${ref.description}` : undefined;
}

function article(type: string): string {
  if (type === 'array') return 'a list';
  if (type === 'object') return 'a mapping';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function lastSegment(pointer: string): string {
  const i = pointer.lastIndexOf('/');
  return i < 0
    ? pointer
    : pointer
        .slice(i + 1)
        .replace(/~1/g, '/')
        .replace(/~0/g, '~');
}

/**
 * Turns ajv errors (from validating the value found at `base`) into diagnostics. One problem
 * gives one diagnostic: the secondary errors ajv adds around `anyOf` are dropped.
 */
export function reportSchemaErrors(
  errors: readonly ErrorObject[],
  base: string,
  report: Report,
): void {
  const durationPaths: string[] = [];
  for (const e of errors) {
    if (DURATION_NODES.has(e.parentSchema)) durationPaths.push(e.instancePath);
  }
  const underDuration = (p: string) => durationPaths.some((d) => p === d || p.startsWith(`${d}/`));

  for (const e of errors) {
    const path = e.instancePath;
    if (underDuration(path)) continue; // the durations rule explains these
    if (RETRY_RANGE_NODES.has(e.parentSchema) && /imum$/.test(e.keyword)) continue; // retry rule
    if (WAIT_ALTERNATIVES.has(e.parentSchema)) continue;
    if ('propertyName' in e && e.keyword !== 'propertyNames') continue;
    const pointer = base + path;
    const key = lastSegment(pointer);

    if (e.parentSchema === expressionDef) {
      report(
        'WEFT032',
        pointer,
        `"${key}" must be an expression written as \${ … }, e.g. "\${ vars.ready }"`,
        { hint: `got ${JSON.stringify(e.data)?.slice(0, 60)}` },
      );
      continue;
    }
    switch (e.keyword) {
      case 'additionalProperties': {
        const extra = String((e.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys((e.parentSchema?.properties as object | undefined) ?? {});
        report(
          'WEFT010',
          `${pointer}/${escapeSegment(extra)}`,
          `unknown key "${extra}".${didYouMean(extra, allowed)}`,
          {
            at: 'key',
            hint: allowed.length > 0 ? `allowed here: ${allowed.join(', ')}` : undefined,
          },
        );
        break;
      }
      case 'required': {
        const missing = String((e.params as { missingProperty: string }).missingProperty);
        report('WEFT011', pointer, `missing required key "${missing}": add it here`, {
          at: 'key',
          hint: describeKey(e.parentSchema, missing),
        });
        break;
      }
      case 'anyOf':
        if (e.parentSchema === waitDef) {
          report('WEFT011', pointer, 'wait needs "signal", "condition" or both', { at: 'key' });
        } else {
          report('WEFT013', pointer, `"${key}" ${e.message ?? 'is not valid'}`);
        }
        break;
      case 'type': {
        const expected = (e.params as { type: string | string[] }).type;
        const want = Array.isArray(expected) ? expected.join(' or ') : expected;
        report(
          'WEFT012',
          pointer,
          `"${key}" must be ${article(want)}, not ${describeType(e.data)}`,
        );
        break;
      }
      case 'enum': {
        const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(
          String,
        );
        report(
          'WEFT013',
          pointer,
          `"${key}" must be one of ${allowed.join(', ')}.${didYouMean(String(e.data), allowed)}`,
        );
        break;
      }
      case 'propertyNames': {
        const name = String((e.params as { propertyName: string }).propertyName);
        report(
          'WEFT013',
          `${pointer}/${escapeSegment(name)}`,
          `"${name}" is not a valid name: use letters, digits, _, . and -, starting with a letter or _`,
          { at: 'key' },
        );
        break;
      }
      case 'pattern': {
        const hint =
          typeof e.parentSchema?.description === 'string' ? e.parentSchema.description : undefined;
        report('WEFT013', pointer, `"${key}" has an invalid value ${JSON.stringify(e.data)}`, {
          hint,
        });
        break;
      }
      default:
        report('WEFT013', pointer, `"${key}" ${e.message ?? 'is not valid'}`);
    }
  }
}
