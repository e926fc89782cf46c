import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlowText } from '../../../interpreter/dsl';
import { metaAjv } from '../../../interpreter/dsl/meta-schema';
import { shapeValidators } from '../../../interpreter/dsl/schema-compile';
import type { ShapeValidators } from '../../../interpreter/dsl/schema-shape';
import {
  metaValidatorModule,
  shapeValidatorsModule,
} from '../../../interpreter/dsl/schema-standalone';
import { STEP_KINDS } from '../../../interpreter/model';

/**
 * The compiled CLI validates with the flow schema's validators, and the default meta-schema's,
 * generated ahead of time; the designer, the API and the tests compile them with ajv at run time.
 * Both must give the same errors: the shape validators pointing at the same schema nodes (the
 * error mapper recognises them by identity) for every fixture and example and every object in
 * them checked as a step of every kind, and the meta-schema's for every JSON Schema a fixture
 * declares and for generated ones.
 */

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
// Inside the repository, so the generated module finds ajv's run-time helpers.
const scratch = join(REPO, 'node_modules', '.cache', `schema-standalone-test-${process.pid}`);
let generated: ShapeValidators;
let generatedMeta: ValidateFunction;
const runtime = shapeValidators();

async function load<T>(name: string, source: string): Promise<T> {
  const file = join(scratch, name);
  writeFileSync(file, source);
  return (await import(pathToFileURL(file).href)) as T;
}

beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  const shapes = await load<{ shapeValidators(): ShapeValidators }>(
    'shapes.mjs',
    shapeValidatorsModule(),
  );
  generated = shapes.shapeValidators();
  const meta = await load<{ defaultMetaValidator(): ValidateFunction }>(
    'meta.mjs',
    metaValidatorModule(),
  );
  generatedMeta = meta.defaultMetaValidator();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FLOW = /\.(ya?ml|json)$/;
function documents(): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const dir of ['test/fixtures/valid', 'test/fixtures/invalid', 'examples']) {
    for (const name of readdirSync(join(REPO, dir)).sort()) {
      if (!FLOW.test(name) || name.endsWith('.expected.json')) continue;
      const { value } = parseFlowText(readFileSync(join(REPO, dir, name), 'utf8'));
      if (value !== undefined) out.push([`${dir}/${name}`, value]);
    }
  }
  return out;
}

function objectsIn(value: unknown, out: object[] = []): object[] {
  if (value === null || typeof value !== 'object') return out;
  if (!Array.isArray(value)) out.push(value);
  for (const child of Object.values(value)) objectsIn(child, out);
  return out;
}

/** Where `node` sits inside `root`, found by identity; undefined when it is a copy. */
function pathOf(root: unknown, node: unknown, path = '#'): string | undefined {
  if (root === node) return path;
  if (root === null || typeof root !== 'object') return undefined;
  for (const [key, child] of Object.entries(root)) {
    const found = pathOf(child, node, `${path}/${key}`);
    if (found) return found;
  }
  return undefined;
}

function outcome(v: ShapeValidators, fn: ShapeValidators['document'], data: unknown) {
  const valid = fn(data);
  const errors = (fn.errors ?? []).map((e: ErrorObject) => ({
    ...e,
    parentSchema: pathOf(v.shallow, e.parentSchema),
  }));
  return { valid, errors: valid ? [] : errors };
}

describe('the generated shape validators', () => {
  const docs = documents();

  it('read fixtures and examples', () => {
    expect(docs.length).toBeGreaterThan(30);
  });

  it.each(docs)('%s: the document gives the same errors as ajv at run time', (_, value) => {
    expect(outcome(generated, generated.document, value)).toEqual(
      outcome(runtime, runtime.document, value),
    );
  });

  it.each(docs)('%s: every object, as a step of every kind, gives the same errors', (_, value) => {
    for (const object of objectsIn(value)) {
      for (const kind of STEP_KINDS) {
        const want = outcome(runtime, runtime.step(kind), object);
        expect(outcome(generated, generated.step(kind), object)).toEqual(want);
      }
    }
  });

  it('point their errors into the shallow schema, not into copies of its parts', () => {
    const fn = generated.step('sleep');
    expect(fn({ id: 'x', sleep: 'soon' })).toBe(false);
    for (const e of fn.errors ?? [])
      expect(pathOf(generated.shallow, e.parentSchema)).toBeDefined();
  });
});

/** What the json-schemas rule reads of a meta-schema check: valid, or the first error. */
function metaOutcome(valid: boolean, errors: ErrorObject[] | null | undefined) {
  return valid ? { valid } : { valid, first: errors?.[0] };
}
const atRunTime = (schema: object) =>
  metaOutcome(metaAjv().validateSchema(schema) === true, metaAjv().errors);
const ahead = (schema: object) => metaOutcome(generatedMeta(schema), generatedMeta.errors);

/** Every `input` schema a flow declares (the flow's, its signals' and updates'). */
function declaredSchemas(value: unknown, out: object[] = []): object[] {
  if (value === null || typeof value !== 'object') return out;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'input' && child && typeof child === 'object' && !Array.isArray(child))
      out.push(child);
    declaredSchemas(child, out);
  }
  return out;
}

const KEYWORDS = [
  'type',
  'properties',
  'required',
  'items',
  'prefixItems',
  'additionalProperties',
  'enum',
  'const',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxItems',
  'anyOf',
  'oneOf',
  'not',
  '$ref',
  '$id',
  '$defs',
  'format',
  'default',
  'description',
  'if',
  'then',
  'dependentRequired',
];
const schemaLike = fc.letrec((tie) => ({
  schema: fc.dictionary(
    fc.constantFrom(...KEYWORDS),
    fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 1 }),
      fc.constantFrom('object', 'string', 'integer', 'nope', ['string', 'null'], -1, 2.5),
      tie('schema'),
      fc.array(tie('schema'), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), tie('schema'), { maxKeys: 2 }),
    ),
    { maxKeys: 4 },
  ),
})).schema;

describe('the generated meta-schema validator', () => {
  it.each(documents().flatMap(([name, value]) => declaredSchemas(value).map((s) => [name, s])))(
    '%s: a declared schema gets the same answer as ajv.validateSchema',
    (_, schema) => {
      expect(ahead(schema as object)).toEqual(atRunTime(schema as object));
    },
  );

  it('answers generated schema-like objects as ajv.validateSchema does', () => {
    fc.assert(
      fc.property(schemaLike, (schema) => {
        expect(ahead(schema)).toEqual(atRunTime(schema));
      }),
      { numRuns: 500 },
    );
  });
});
