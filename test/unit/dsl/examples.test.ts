import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';
import { loadFlowFile } from '../../../interpreter/dsl';
import type { ActivityManifest } from '../../../interpreter/model';

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
    const { compiled, diagnostics } = await loadFlowFile(join(examples, file), { manifest });
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

  it('uses only activities the example plugins provide, each with an input schema', () => {
    for (const a of manifest.activities) {
      if (a.name.startsWith('http.') || a.name.startsWith('sse.') || a.name.startsWith('test.'))
        continue;
      expect(a.input, a.name).toBeTypeOf('object');
      expect(a.description, a.name).toBeTruthy();
    }
  });
});
