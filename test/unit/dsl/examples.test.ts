import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';
import { loadFlowFile } from '../../../interpreter/dsl/node';
import { type ActivityManifest, walkCompiledSteps } from '../../../interpreter/model';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const schemaFile = fileURLToPath(new URL('../../../schema/flow.schema.json', import.meta.url));

function flowFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory() && entry.name !== 'plugins') out.push(...flowFiles(dir, rel));
    else if (entry.name.endsWith('.flow.yaml')) out.push(rel);
  }
  return out.sort();
}

let manifest: ActivityManifest;
beforeAll(async () => {
  const plugins = readdirSync(join(examples, 'plugins')).map((f) => join(examples, 'plugins', f));
  manifest = (await loadPlugins(plugins)).manifest();
});

describe('examples', () => {
  const files = flowFiles(examples);

  it('has at least the six flows the issue asks for', () => {
    expect(files.filter((f) => !f.includes('/')).length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('%s validates and compiles against the example plugins', async (file) => {
    const { compiled, diagnostics } = loadFlowFile(join(examples, file), { manifest });
    expect(diagnostics).toEqual([]);
    expect(compiled?.flow).toBeTruthy();
  });

  it.each(files)('%s starts with a yaml-language-server line that finds the schema', (file) => {
    const first = readFileSync(join(examples, file), 'utf8').split('\n')[0] ?? '';
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(match, first).not.toBeNull();
    expect(resolve(dirname(join(examples, file)), match![1]!)).toBe(schemaFile);
    expect(existsSync(schemaFile)).toBe(true);
  });

  it.each(files)('%s compiles to steps whose keys are already in hash order', async (file) => {
    // The content hash sorts keys; steps built sorted spare it a copy of every step.
    const { compiled } = loadFlowFile(join(examples, file), { manifest });
    const unsorted: string[] = [];
    const check = (what: string, value: unknown) => {
      if (!value || typeof value !== 'object') return;
      const keys = Object.keys(value);
      if (keys.join() !== [...keys].sort().join()) unsorted.push(`${what}: ${keys.join()}`);
    };
    for (const flow of [compiled!, ...Object.values(compiled!.flows)]) {
      walkCompiledSteps(flow, (step) => {
        check(step.id, step);
        if (step.kind !== 'activity') return;
        for (const [what, call] of [
          [step.id, step],
          [`${step.id} compensate`, step.compensate],
        ] as const) {
          check(what, call);
          check(`${what} options`, call?.options);
          check(`${what} timeouts`, call?.options.timeouts);
          check(`${what} retry`, call?.options.retry);
        }
      });
    }
    expect(unsorted).toEqual([]);
  });

  it('uses only activities the example plugins provide, each with an input schema', () => {
    for (const a of manifest.activities) {
      if (a.name.startsWith('http.') || a.name.startsWith('sse.') || a.name.startsWith('test.'))
        continue;
      expect(a.input, a.name).toBeTypeOf('object');
      expect(a.description, a.name).toBeTruthy();
    }
  });
});
