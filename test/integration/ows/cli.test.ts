import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { weft } from '../cli/weft';

/** `weft run`, `weft validate` and `weft import` on Serverless Workflow documents. */

const cwd = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('weft and Serverless Workflow documents', () => {
  it('weft run runs an OWS document as it is (converted on load)', async () => {
    const formal = await weft(
      ['run', 'greet.sw.yaml', '--json', '--input', '{"name":"Ann","formal":true}'],
      { cwd },
    );
    expect(formal.last()).toEqual({ status: 'completed', output: 'Good day, Ann.' });
    const casual = await weft(['run', 'greet.sw.yaml', '--json', '--input', '{"name":"Bo"}'], {
      cwd,
    });
    expect(casual.last()).toEqual({ status: 'completed', output: 'Hi Bo!' });
  });

  it('weft import writes a Weft flow whose steps name their source tasks; it validates and runs alike', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'weft-ows-')), 'greet.flow.yaml');
    const imported = await weft(['import', 'greet.sw.yaml', '--out', out], { cwd });
    expect(imported.code).toBe(0);
    const yaml = readFileSync(out, 'utf8');
    expect(yaml).toContain('flow: greet');
    expect(yaml).toContain('# /do/1/formal (greet.sw.yaml:15)');
    expect(yaml).toContain('# /do/3/announce (greet.sw.yaml:22)');
    expect((await weft(['validate', out], { cwd })).code).toBe(0);
    const ran = await weft(['run', out, '--json', '--input', '{"name":"Cy"}'], { cwd });
    expect(ran.last()).toEqual({ status: 'completed', output: 'Hi Cy!' });
  });

  it('constructs outside what Weft expresses are positioned errors, never dropped', async () => {
    const validated = await weft(['validate', 'broken.sw.yaml'], { cwd });
    expect(validated.code).toBe(1);
    expect(validated.stdout.trim()).toBe(
      'broken.sw.yaml:10:23  error  WEFT081  jq expression: recursive descent `..` is outside the supported jq subset',
    );
    const imported = await weft(['import', 'broken.sw.yaml'], { cwd });
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('broken.sw.yaml:10:23  error  WEFT081');
    expect((await weft(['run', 'broken.sw.yaml'], { cwd })).code).toBe(2);
  });

  it('weft doctor --flows counts the OWS documents of the folder, their OpenAPI documents read beside them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-ows-doctor-'));
    cpSync(join(cwd, 'greet.sw.yaml'), join(dir, 'greet.sw.yaml'));
    writeFileSync(
      join(dir, 'pets.sw.yml'),
      `document: { dsl: '1.0.3', namespace: test, name: pets, version: '1.0.0' }
do:
  - find:
      call: openapi
      with:
        document: { endpoint: ./petstore.json }
        operationId: listPets
`,
    );
    writeFileSync(
      join(dir, 'petstore.json'),
      '{"swagger":"2.0","host":"127.0.0.1:9","paths":{"/pets":{"get":{"operationId":"listPets"}}}}',
    );
    const r = await weft(['doctor', '--flows', dir], { cwd });
    expect(r.stdout).toMatch(new RegExp(`^flows +2 of 2 in ${dir} compile$`, 'm'));
  });

  it('weft import refuses a file that is not an OWS document', async () => {
    const result = await weft(['import', '../../cli/fixtures/echo.flow.yaml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a Serverless Workflow document');
  });
});
