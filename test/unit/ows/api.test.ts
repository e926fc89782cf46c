import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileForRun } from '../../../interpreter/api/dsl';
import { FlowsDir } from '../../../interpreter/api/flows-dir';

/**
 * The API's runs take an OWS document from the flows folder (converted on load, as the CLI does),
 * and read a local OpenAPI document only from inside that folder.
 */

const doc = (name: string, body: string) =>
  `document: { dsl: '1.0.3', namespace: test, name: ${name}, version: '1.0.0' }\n${body}`;

function emptyFolder(): FlowsDir {
  const dir = join(mkdtempSync(join(tmpdir(), 'weft-ows-api-')), 'flows');
  mkdirSync(dir);
  return new FlowsDir(dir);
}

const deps = (flows: FlowsDir) => ({ flows, manifest: () => undefined as never });

describe('OWS documents in the API flows folder', () => {
  it('a file in the folder compiles to its converted flow', async () => {
    const base = mkdtempSync(join(tmpdir(), 'weft-ows-api-'));
    writeFileSync(join(base, 'hello.flow.yaml'), doc('hello', 'do:\n  - hi: { set: { a: 1 } }\n'));
    const compiled = await compileForRun(deps(new FlowsDir(base)), { file: 'hello.flow.yaml' });
    expect(compiled.flow).toBe('hello');
  });

  it('a posted definition converts too; an OpenAPI document outside the folder is not read', async () => {
    const flows = emptyFolder();
    const base = mkdtempSync(join(tmpdir(), 'weft-ows-api-'));
    writeFileSync(
      join(base, 'api.json'),
      '{"swagger":"2.0","paths":{"/x":{"get":{"operationId":"x"}}}}',
    );
    const definition = doc(
      'outside',
      `do:\n  - call1:\n      call: openapi\n      with: { document: { endpoint: ${join(base, 'api.json')} }, operationId: x }\n`,
    );
    await expect(compileForRun(deps(flows), { definition })).rejects.toMatchObject({
      details: {
        diagnostics: [
          {
            code: 'WEFT083',
            message: expect.stringContaining('could not be read: no such file in the flows folder'),
          },
        ],
      },
    });
  });
});
