import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ErrorObject } from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlowText } from '../../../interpreter/dsl';
import { shapeValidators } from '../../../interpreter/dsl/schema-compile';
import type { ShapeValidators } from '../../../interpreter/dsl/schema-shape';
import { shapeValidatorsModule } from '../../../interpreter/dsl/schema-standalone';
import { STEP_KINDS } from '../../../interpreter/model';

/**
 * The compiled CLI validates with the flow schema's validators generated ahead of time; the
 * designer, the API and the tests compile them with ajv at run time. Both must give the same
 * errors, pointing at the same schema nodes (the error mapper recognises them by identity), for
 * every fixture and example and every object in them checked as a step of every kind.
 */

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
// Inside the repository, so the generated module finds ajv's run-time helpers.
const scratch = join(REPO, 'node_modules', '.cache', `schema-standalone-test-${process.pid}`);
let generated: ShapeValidators;
const runtime = shapeValidators();

beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  const file = join(scratch, 'shapes.mjs');
  writeFileSync(file, shapeValidatorsModule());
  const mod = (await import(pathToFileURL(file).href)) as { shapeValidators(): ShapeValidators };
  generated = mod.shapeValidators();
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
