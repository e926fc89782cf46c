import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonLogger } from '../../../interpreter/observability';

export const PLUGIN = fileURLToPath(new URL('./fixtures/plugin.mjs', import.meta.url));
const FLOWS = fileURLToPath(new URL('./fixtures/flows', import.meta.url));

/** Logs only errors, so test output stays readable. */
export const quietLogger = () => new JsonLogger('ERROR');

/**
 * A fresh copy of the fixture flows in a temp folder, plus traps for the path checks: a file
 * outside the folder, a symlinked file and a symlinked folder that both lead to it.
 */
export function flowsFolder(): { dir: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'weft-api-'));
  const dir = join(base, 'flows');
  const outside = join(base, 'outside');
  cpSync(FLOWS, dir, { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.flow.yaml'), 'flow: secret\nsteps: []\n');
  symlinkSync(join(outside, 'secret.flow.yaml'), join(dir, 'escape.flow.yaml'));
  symlinkSync(outside, join(dir, 'out'));
  return { dir, outside };
}

/**
 * A request with the target sent byte for byte (fetch would normalise `..` away), for the
 * path-traversal tests.
 */
export function rawRequest(
  base: string,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: body === undefined ? {} : { 'content-type': 'text/yaml' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const HELLO_DEFINITION = `flow: api-inline
steps:
  - id: greet
    activity: greet.hello
    input: { name: "\${ input.who }" }
    result: greet
output: "\${ vars.greet.greeting }"
`;

export const UPDATES_DEFINITION = `flow: api-updates
vars: { items: [] }
signals:
  done: {}
updates:
  add:
    validate: "\${ payload.qty > 0 }"
    set: { items: "\${ $append(vars.items, [payload]) }" }
    output: "\${ $count(vars.items) }"
queries:
  count: "\${ $count(vars.items) }"
steps:
  - wait: { signal: done }
output: "\${ vars.items }"
`;
