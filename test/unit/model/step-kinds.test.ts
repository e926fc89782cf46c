import { describe, expect, it } from 'vitest';
import { flowSchema } from '../../../interpreter/dsl';
import {
  type ChildListSpec,
  DEFAULT_START_TO_CLOSE,
  EACH,
  STEP_KINDS,
  type StepKind,
  stepKind,
} from '../../../interpreter/model';
import { EXECUTORS } from '../../../interpreter/workflow/steps';

/**
 * The step-kind table (model/step-kinds.ts) against the schema (the DSL's source of truth) and
 * the executor table: adding a kind means touching all three, and these tests say which is missing.
 */

type Node = Record<string, unknown>;
const schema = flowSchema as unknown as { $defs: Record<string, Node> };
const STEPS_REF = '#/$defs/steps';

/** A schema node with its `$ref` (to another `$defs` entry than `steps`) followed. */
function resolve(node: Node | undefined): Node | undefined {
  let at = node;
  for (let i = 0; at && typeof at.$ref === 'string' && at.$ref !== STEPS_REF && i < 10; i++) {
    at = schema.$defs[at.$ref.replace('#/$defs/', '')];
  }
  return at;
}

/** The schema node at a path of a kind's step (EACH: a map's values or an array's items). */
function schemaAt(kind: StepKind, path: readonly string[]): Node | undefined {
  let at: Node | undefined = schema.$defs[`${kind}Step`];
  for (const token of path) {
    const r = resolve(at);
    if (token === EACH) {
      at = (r?.additionalProperties ?? r?.items) as Node | undefined;
    } else {
      at = (r?.properties as Record<string, Node> | undefined)?.[token];
    }
  }
  return at;
}

/** Every path inside a kind's step schema that holds a list of steps (`$ref: #/$defs/steps`). */
function stepListPaths(node: Node | undefined, path: string[] = [], depth = 0): string[][] {
  if (!node || depth > 6) return [];
  if (node.$ref === STEPS_REF) return [path];
  const r = resolve(node);
  if (!r) return [];
  const out: string[][] = [];
  for (const [k, v] of Object.entries((r.properties as Record<string, Node>) ?? {}))
    out.push(...stepListPaths(v, [...path, k], depth + 1));
  for (const each of [r.additionalProperties, r.items])
    if (typeof each === 'object' && each !== null)
      out.push(...stepListPaths(each as Node, [...path, EACH], depth + 1));
  return out;
}

function schemaKinds(): string[] {
  const oneOf = (schema.$defs.step?.oneOf ?? []) as { $ref: string }[];
  return oneOf.map((r) => r.$ref.replace(/^#\/\$defs\/(.*)Step$/, '$1'));
}

/** True when a schema description states `value` as the default, in the schema's phrasings. */
function statesDefault(description: unknown, value: unknown): boolean {
  if (typeof description !== 'string') return false;
  const v = String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\(default \`?${v}\`?[),:]|\`${v}\` \\(default\\)`).test(description);
}

describe('the step-kind table', () => {
  it('has one descriptor for every kind the schema lists, and no other', () => {
    expect(schemaKinds()).toEqual([...STEP_KINDS]);
    for (const kind of STEP_KINDS) expect(stepKind(kind).key).toBe(kind);
  });

  it('has one executor for every kind, and no other', () => {
    expect(Object.keys(EXECUTORS).sort()).toEqual([...STEP_KINDS].sort());
    for (const kind of STEP_KINDS) expect(EXECUTORS[kind], kind).toBeTypeOf('function');
  });

  it.each([...STEP_KINDS])('names exactly the nested step lists the schema gives %s', (kind) => {
    const inSchema = stepListPaths(schema.$defs[`${kind}Step`]).map((p) => p.join('/'));
    const inTable = stepKind(kind).children.map((c) => c.source.join('/'));
    expect(inTable.sort()).toEqual(inSchema.sort());
  });

  it.each([...STEP_KINDS])(
    'puts every compiled list of %s under one of its compiled keys',
    (kind) => {
      const d = stepKind(kind);
      for (const spec of d.children) expect(d.compiledKeys).toContain(spec.compiled[0]);
    },
  );
});

describe('the defaults', () => {
  /** Each default in the table, with the schema property that must state it. */
  function defaults(): { what: string; value: unknown; node: Node | undefined }[] {
    const out: { what: string; value: unknown; node: Node | undefined }[] = [
      {
        what: 'activity timeouts.startToClose',
        value: DEFAULT_START_TO_CLOSE,
        node: schemaAt('activity', ['timeouts', 'startToClose']),
      },
    ];
    for (const kind of STEP_KINDS) {
      const d = stepKind(kind);
      const base = d.compile === 'unwrap' ? [kind] : [];
      for (const [key, value] of Object.entries(d.defaults))
        out.push({ what: `${kind}.${key}`, value, node: schemaAt(kind, [...base, key]) });
      for (const spec of d.children as ChildListSpec[]) {
        const holder = spec.source.slice(0, spec.source.indexOf(EACH) + 1);
        for (const [key, value] of Object.entries(spec.eachDefaults ?? {}))
          out.push({
            what: `${kind}.${holder.join('.')}.${key}`,
            value,
            node: schemaAt(kind, [...holder, key]),
          });
      }
    }
    return out;
  }

  it('are the ones the compiler fills in (forEach, while, parallel, catch, flow, startToClose)', () => {
    expect(defaults().map((d) => [d.what, d.value])).toEqual([
      ['activity timeouts.startToClose', '1m'],
      ['parallel.mode', 'all'],
      ['forEach.as', 'item'],
      ['forEach.concurrency', 1],
      ['while.maxIterations', 1000],
      ['try.catch.*.as', 'error'],
      ['flow.parentClosePolicy', 'terminate'],
    ]);
  });

  it.each(defaults().map((d) => [d.what, d] as const))(
    '%s is stated in the schema description of that key, with the same value',
    (_, d) => {
      expect(d.node, 'the key exists in the schema').toBeDefined();
      const description = d.node?.description ?? resolve(d.node)?.description;
      expect(statesDefault(description, d.value), String(description)).toBe(true);
    },
  );

  it('are recognised only with their own value (a drifted description fails)', () => {
    expect(statesDefault('How many at once (default 1: one after another).', 1)).toBe(true);
    expect(statesDefault('How many at once (default 2: two at a time).', 1)).toBe(false);
    expect(statesDefault('`all` (default): wait for every branch', 'all')).toBe(true);
    expect(statesDefault('`any` (default): the first', 'all')).toBe(false);
    expect(statesDefault('(default `10m`, when …)', '1m')).toBe(false);
  });
});
