import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadPlugins, type Registry } from '../../../interpreter/activities';
import { flowOutcome, startFlow } from '../../../interpreter/client';
import { formatDiagnostic, parseFlowText } from '../../../interpreter/dsl';
import { compileText } from '../../../interpreter/dsl/node';
import type { CompiledFlow } from '../../../interpreter/model';
import { exportOws } from '../../../interpreter/ows/export';
import { compileOwsText } from '../../../interpreter/ows/node';
import type { WorkerGroup } from '../../../interpreter/worker';
import { runTestWorkers, testClient, uniqueTaskQueue, uniqueWorkflowId } from '../../helpers';

/**
 * The round trip at run time: an example and its `weft export --to ows` → import give the same
 * output on the dev server, with the example plugins. (The unit test checks the structure.)
 */

const ROOT = resolve(__dirname, '../../..');
let registry: Registry;
let workers: WorkerGroup;
const taskQueue = uniqueTaskQueue('ows-export');

beforeAll(async () => {
  registry = await loadPlugins(
    [resolve(ROOT, 'examples/plugins/compute.mjs'), resolve(ROOT, 'examples/plugins/shop.mjs')],
    ROOT,
    { allowHttp: [] },
  );
  workers = await runTestWorkers(registry, [taskQueue]);
});

afterAll(async () => {
  await workers?.shutdown();
  await registry?.close();
});

function both(file: string): { original: CompiledFlow; back: CompiledFlow } {
  const path = resolve(ROOT, 'examples', file);
  const text = readFileSync(path, 'utf8');
  const original = compileText(text, path, { manifest: registry.manifest() }).compiled;
  const parsed = parseFlowText(text, path);
  const doc = exportOws(parsed.value, parsed.sourceMap, text).document;
  const back = compileOwsText(stringify(doc), `${path}.sw.yaml`, { manifest: registry.manifest() });
  if (!original || !back.compiled) {
    throw new Error(back.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  }
  return { original, back: back.compiled };
}

async function run(flow: CompiledFlow, input: unknown) {
  const client = await testClient();
  const { handle } = await startFlow(client, flow, input, {
    taskQueue,
    workflowId: uniqueWorkflowId(flow.flow),
  });
  return flowOutcome(handle);
}

describe('an exported example runs as the original does', () => {
  it.each([
    ['thumbnails.flow.yaml', { images: ['a.png', 'b.png', 'c.png'], width: 64 }],
    ['children/ship-order.flow.yaml', { order: { orderId: 'R1', address: { country: 'NL' } } }],
  ])('%s', async (file, input) => {
    const { original, back } = both(file);
    const [a, b] = await Promise.all([run(original, input), run(back, input)]);
    expect(a).toMatchObject({ status: 'completed' });
    expect(b).toEqual(a);
  });
});
