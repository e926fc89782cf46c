import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ActivityManifestEntry } from '../../model';
import { escapeSegment } from '../../model';
import { isExpressionString, isRecord, type Rule } from './context';

// Plugin input schemas are compiled once per schema object and reused across validations.
// The same settings as the worker's runtime check (activities/input.ts), so what validates here
// is what the activity accepts; no logger, so plugin schema quirks never print while validating.
const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false });
addFormats(ajv);
const compiled = new WeakMap<object, ValidateFunction | null>();

function validatorFor(entry: ActivityManifestEntry): ValidateFunction | null {
  const schema = entry.input;
  if (schema === undefined || typeof schema === 'boolean') return null;
  let fn = compiled.get(schema);
  if (fn === undefined) {
    try {
      fn = ajv.compile(schema);
    } catch {
      fn = null; // a broken plugin schema is the plugin's problem, reported when it loads
    }
    compiled.set(schema, fn);
  }
  return fn;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function valueAt(root: unknown, path: string): unknown {
  if (path === '') return root;
  let v: unknown = root;
  for (const raw of path.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v)) v = v[Number(seg)];
    else if (isRecord(v)) v = v[seg];
    else return undefined;
  }
  return v;
}

/**
 * Literal activity inputs are checked against the plugin's input schema. Expressions are only
 * known at run time, so any error located at (or inside) an expression string is ignored.
 */
export const activityInputs: Rule = {
  name: 'activity-inputs',
  check({ steps, manifest, report }) {
    if (!manifest) return;
    const byName = new Map(manifest.activities.map((a) => [a.name, a]));
    const check = (name: unknown, input: unknown, pointer: string) => {
      if (typeof name !== 'string') return;
      const entry = byName.get(name);
      if (!entry) return;
      if (isExpressionString(input)) return;
      const fn = validatorFor(entry);
      if (!fn || fn(input)) return;
      for (const e of fn.errors ?? []) {
        const at = valueAt(input, e.instancePath);
        if (isExpressionString(at)) continue;
        let where = e.instancePath;
        if (e.keyword === 'additionalProperties') {
          where += `/${escapeSegment(String((e.params as { additionalProperty: string }).additionalProperty))}`;
        }
        const shown = where === '' ? 'input' : `input${where.replace(/\//g, '.')}`;
        report(
          'WEFT024',
          `${pointer}${where}`,
          `input of "${name}" does not match ${entry.external ? `the schema declared in ${basename(entry.external.file)}` : "the plugin's schema"}: ${shown} ${e.message ?? 'is invalid'}`,
          e.keyword === 'additionalProperties' ? { at: 'key' } : {},
        );
      }
    };
    for (const s of steps) {
      if (s.kind !== 'activity') continue;
      check(s.value.activity, s.value.input, `${s.pointer}/input`);
      const c = s.value.compensate;
      if (isRecord(c)) check(c.activity, c.input, `${s.pointer}/compensate/input`);
    }
  },
};
