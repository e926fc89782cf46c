import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins, type Registry } from '../../../interpreter/activities';
import { flowOutcome, signalFlow, startFlow } from '../../../interpreter/client';
import { formatDiagnostic } from '../../../interpreter/dsl';
import { compileOwsText } from '../../../interpreter/ows/node';
import type { WorkerGroup } from '../../../interpreter/worker';
import { TEST_ACTIVITIES } from '../../fixtures/plugins/test-activities';
import { runTestWorkers, testClient, uniqueTaskQueue, uniqueWorkflowId } from '../../helpers';

/**
 * Each Serverless Workflow construct Weft converts, run on the dev server from a small OWS
 * document: the document in, the flow's outcome out. The CTK (ctk.test.ts) covers the rest.
 */

let registry: Registry;
let workers: WorkerGroup;
const taskQueue = uniqueTaskQueue('ows');

beforeAll(async () => {
  registry = await loadPlugins([TEST_ACTIVITIES], process.cwd(), { allowHttp: [] });
  workers = await runTestWorkers(registry, [taskQueue]);
});

afterAll(async () => {
  await workers?.shutdown();
  await registry?.close();
});

const header = (name: string) =>
  `document: { dsl: '1.0.3', namespace: test, name: ${name}, version: '1.0.0' }\n`;

async function start(name: string, body: string, input?: unknown) {
  const { compiled, diagnostics } = compileOwsText(header(name) + body, `${name}.sw.yaml`, {
    manifest: registry.manifest(),
  });
  if (!compiled) throw new Error(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  const client = await testClient();
  return startFlow(client, compiled, input, {
    taskQueue,
    workflowId: uniqueWorkflowId(name),
  });
}

async function run(name: string, body: string, input?: unknown) {
  return flowOutcome((await start(name, body, input)).handle);
}

describe('Serverless Workflow constructs on the dev server', () => {
  it('input.from, set, export.as into $context, output.as of the workflow', async () => {
    const outcome = await run(
      'data-flow',
      `input: { from: '\${ .order }' }
do:
  - remember:
      set: { id: '\${ .id }', qty: '\${ .qty * 2 }' }
      export: { as: '\${ $context + { seen: .id } }' }
  - total:
      set: { total: '\${ .qty + 1 }', seen: '\${ $context.seen }' }
output: { as: '\${ { result: .total, from: .seen } }' }
`,
      { order: { id: 'A1', qty: 3 } },
    );
    expect(outcome).toEqual({ status: 'completed', output: { result: 7, from: 'A1' } });
  });

  it("call of an activity by name (a plugin's or another worker's), with and output.as", async () => {
    const outcome = await run(
      'activity-call',
      `do:
  - echo:
      call: test.echo
      with: { greeting: '\${ "Hello " + .name }', n: 1 }
      output: { as: .greeting }
`,
      { name: 'Ada' },
    );
    expect(outcome).toEqual({ status: 'completed', output: 'Hello Ada' });
  });

  it('fork without compete: every branch gets the input, the output lists their outputs', async () => {
    const outcome = await run(
      'fork-all',
      `do:
  - both:
      fork:
        branches:
          - left: { set: { side: left, n: '\${ .n }' } }
          - right: { set: { side: right, n: '\${ .n + 1 }' } }
`,
      { n: 1 },
    );
    expect(outcome).toEqual({
      status: 'completed',
      output: [
        { side: 'left', n: 1 },
        { side: 'right', n: 2 },
      ],
    });
  });

  it('for with each, at and a nested do; wait sleeps durably', async () => {
    const outcome = await run(
      'for-wait',
      `do:
  - loop:
      for: { each: word, in: .words, at: i }
      do:
        - pause: { wait: { milliseconds: 10 } }
        - add:
            set: { text: '\${ (.text // "") + "\\($i):\\($word) " }' }
`,
      { words: ['a', 'b'] },
    );
    expect(outcome).toEqual({ status: 'completed', output: { text: '0:a 1:b ' } });
  });

  it('listen waits for the event as a signal named after its type; the output lists the events', async () => {
    const { handle, workflowId } = await start(
      'listen',
      `do:
  - approval:
      listen:
        to:
          one:
            with: { type: com.example.approved }
`,
    );
    await signalFlow(await testClient(), workflowId, 'com.example.approved', {
      type: 'com.example.approved',
      data: { by: 'ann' },
    });
    expect(await flowOutcome(handle)).toEqual({
      status: 'completed',
      output: [{ type: 'com.example.approved', data: { by: 'ann' } }],
    });
  });

  it('try/catch retry: the calls inside try are retried by Temporal up to limit.attempt.count', async () => {
    const outcome = await run(
      'retry',
      `do:
  - flaky:
      try:
        - call1:
            call: test.fail
            with: { failTimes: 2, result: { ok: true } }
      catch:
        retry:
          delay: { milliseconds: 10 }
          backoff: { constant: {} }
          limit: { attempt: { count: 3 } }
`,
    );
    expect(outcome).toEqual({ status: 'completed', output: { ok: true } });
  });

  it('raise, caught by a filter on status with when; the handler sees $e; uncaught ones fault with OwsError', async () => {
    const caught = await run(
      'raise-caught',
      `do:
  - guarded:
      try:
        - check:
            raise:
              error: { type: https://example.com/errors/denied, status: 403, title: '\${ "no " + .who }' }
      catch:
        errors: { with: { status: 403 } }
        when: '$e.title == "no ann"'
        as: e
        do:
          - handle: { set: { handled: '\${ $e.title }', at: '\${ $e.instance }' } }
`,
      { who: 'ann' },
    );
    expect(caught).toEqual({
      status: 'completed',
      output: { handled: 'no ann', at: '/do/0/guarded/try/0/check' },
    });
    const uncaught = await run(
      'raise-uncaught',
      `do:
  - guarded:
      try:
        - check:
            raise:
              error: { type: https://example.com/errors/denied, status: 403 }
      catch:
        errors: { with: { status: 404 } }
`,
    );
    expect(uncaught).toMatchObject({
      status: 'failed',
      error: {
        type: 'OwsError',
        details: {
          type: 'https://example.com/errors/denied',
          status: 403,
          instance: '/do/0/guarded/try/0/check',
        },
      },
    });
  });

  it('then: exit leaves the enclosing do, then: end finishes the workflow with the current data', async () => {
    const outcome = await run(
      'exit-end',
      `do:
  - inner:
      do:
        - one: { set: { steps: [one] }, then: exit }
        - skipped: { set: { steps: [skipped] } }
  - two:
      set: { steps: '\${ .steps + ["two"] }' }
      then: end
  - never: { set: { steps: [never] } }
`,
    );
    expect(outcome).toEqual({ status: 'completed', output: { steps: ['one', 'two'] } });
  });

  it('if skips a task, whose output is then its input', async () => {
    const outcome = await run(
      'if-skip',
      `do:
  - maybe:
      if: .go
      set: { went: true }
`,
      { go: false },
    );
    expect(outcome).toEqual({ status: 'completed', output: { go: false } });
  });
});
