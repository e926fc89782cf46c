import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFlow, hasErrors } from '../../../interpreter/dsl';
import {
  parseActivitiesText,
  withExternalActivities,
} from '../../../interpreter/dsl/activities-file';
import { parseFlowText } from '../../../interpreter/dsl/parse';
import type { CompiledFlow } from '../../../interpreter/model';
import { testConnection, testServer, uniqueTaskQueue, uniqueWorkflowId } from '../../helpers';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

/**
 * Activities that a worker outside Weft registers (here a bare @temporalio/worker with plain
 * functions, as any SDK's worker would), declared in an activities file: the interpreter calls
 * them by their exact name, on their queue, with one object or with positional arguments.
 * test/integration/polyglot runs the same with a real Python worker.
 */

const harness = harnessPerFile({});
const foreignQueue = uniqueTaskQueue('foreign');
const calls: unknown[][] = [];
let foreign: Worker;
let running: Promise<void>;

beforeAll(async () => {
  foreign = await Worker.create({
    connection: await testConnection(),
    namespace: testServer().namespace,
    taskQueue: foreignQueue,
    activities: {
      async compose_greeting(request: { salutation: string; name: string }) {
        calls.push(['compose_greeting', request]);
        return { greeting: `${request.salutation}, ${request.name}!` };
      },
      async count_letter(text: string, letter: string) {
        calls.push(['count_letter', text, letter]);
        return [...text].filter((c) => c === letter).length;
      },
    },
  });
  running = foreign.run();
});

afterAll(async () => {
  foreign.shutdown();
  await running;
});

const activitiesFile = (queue: string) => `
taskQueue: ${queue}
defaults: { timeouts: { startToClose: 10s } }
activities:
  compose_greeting:
    input: { type: object, properties: { salutation: { type: string }, name: { type: string } } }
  count_letter:
    args: [text, letter]
    input: { type: object, properties: { text: { type: string }, letter: { type: string } } }
`;

function compile(flowText: string): CompiledFlow {
  const declared = parseActivitiesText(activitiesFile(foreignQueue), 'weft.activities.yaml');
  const { manifest } = withExternalActivities(undefined, declared);
  const { compiled, diagnostics } = compileFlow(parseFlowText(flowText, 'external.flow.yaml'), {
    manifest,
  });
  if (!compiled || hasErrors(diagnostics)) throw new Error(JSON.stringify(diagnostics));
  return compiled;
}

describe('external activities', () => {
  it('get one object by default and positional arguments with args:', async () => {
    const flow = compile(`
flow: external-args
steps:
  - id: greet
    activity: compose_greeting
    input: { salutation: Hello, name: "\${ input.name }" }
    result: greeting
  - id: count
    activity: count_letter
    input: { text: "\${ vars.greeting.greeting }", letter: l }
    result: ls
output: "\${ { 'greeting': vars.greeting.greeting, 'ls': vars.ls } }"
`);
    calls.length = 0;
    const recording = process.env.WEFT_RECORD_HISTORIES === '1';
    const handle = await harness().start(
      flow,
      { name: 'Ada' },
      recording ? 'external-args' : uniqueWorkflowId('external-args'),
    );
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: { greeting: 'Hello, Ada!', ls: 2 },
    });
    expect(calls).toEqual([
      ['compose_greeting', { salutation: 'Hello', name: 'Ada' }],
      ['count_letter', 'Hello, Ada!', 'l'],
    ]);
    await recordHistory(handle, 'external-args');
  });

  it('as compensations get the same convention', async () => {
    const flow = compile(`
flow: external-saga
steps:
  - id: greet
    activity: compose_greeting
    input: { salutation: Hi, name: Bo }
    compensate:
      activity: count_letter
      input: { text: undo, letter: o }
  - fail: { error: Rejected, message: no }
`);
    calls.length = 0;
    const outcome = await outcomeOf(await harness().start(flow));
    expect(outcome).toMatchObject({ status: 'failed', error: { type: 'Rejected' } });
    expect(calls).toEqual([
      ['compose_greeting', { salutation: 'Hi', name: 'Bo' }],
      ['count_letter', 'undo', 'o'],
    ]);
  });
});
