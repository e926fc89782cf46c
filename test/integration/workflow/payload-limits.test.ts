import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { PAYLOAD_LIMIT_BYTES } from '../../../interpreter/model';
import { interpreterBundle } from '../../helpers';
import { harnessPerFile, outcomeOf } from '../../helpers/flows';

/**
 * Payloads over the server's 2 MB limit used to end runs *terminated* (a too-large output or
 * continue-as-new input: no compensation, state lost) or stuck (a too-large command input fails
 * every workflow task). They now fail the run with PayloadTooLarge, through the ordinary failure
 * path. The data is real and over the real limit: no lowered threshold.
 */
const undone: string[] = [];
const harness = harnessPerFile({
  activities: {
    /** A string of `chars` copies of `char` (é is 2 UTF-8 bytes, so chars understate bytes). */
    async 'big.make'(input: { chars: number; char?: string }) {
      return (input.char ?? 'x').repeat(input.chars);
    },
    async 'big.take'(input: unknown) {
      return JSON.stringify(input).length;
    },
    async 'big.undo'(input: string) {
      undone.push(input);
    },
  },
});

const A_CHARS = 1_250_000;

/** A first step that holds something to compensate, then `a`: a string of 1.2 MB. */
const prelude = [
  {
    id: 'hold',
    activity: 'big.take',
    input: 'held',
    compensate: { activity: 'big.undo', input: "${ 'undo ' & $string(vars.run) }" },
  },
  { id: 'a', activity: 'big.make', input: { chars: A_CHARS }, result: 'a' },
];

describe('payload limits', () => {
  it('an output over the limit fails the run with PayloadTooLarge and compensates (counted in UTF-8 bytes)', async () => {
    const out = await harness().run({
      flow: 'big-output',
      vars: { run: 'output' },
      steps: [
        prelude[0],
        // 600,000 characters of é: 1.2 MB of UTF-8, so twice that is 2.4 MB in 1.2 M characters.
        { id: 'a', activity: 'big.make', input: { chars: 600_000, char: 'é' }, result: 'a' },
      ],
      output: '${ [vars.a, vars.a] }',
    });
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error).toMatchObject({
      type: 'PayloadTooLarge',
      step: 'output',
      details: { payload: 'output', limit: PAYLOAD_LIMIT_BYTES },
    });
    expect((out.error.details as { bytes: number }).bytes).toBeGreaterThan(2.4 * 1000 * 1000);
    expect(out.error.message).toMatch(/^the flow output is 2\.\d+ MB; the server accepts 2 MB/);
    expect(undone).toContain('undo output');
  });

  it('an activity input over the limit fails that step, and `catch` can handle it', async () => {
    const out = await harness().run({
      flow: 'big-input',
      vars: { run: 'input' },
      steps: [
        ...prelude,
        {
          try: [{ id: 'send', activity: 'big.take', input: '${ [vars.a, vars.a] }' }],
          catch: [
            {
              errors: ['PayloadTooLarge'],
              as: 'err',
              steps: [{ set: { caught: '${ err.step & ": " & err.details.payload }' } }],
            },
          ],
        },
        { id: 'again', activity: 'big.take', input: '${ [vars.a, vars.a] }' },
      ],
      output: '${ vars.caught }',
    });
    expect(out).toMatchObject({
      status: 'failed',
      error: {
        type: 'PayloadTooLarge',
        step: 'again',
        details: { payload: 'input', limit: PAYLOAD_LIMIT_BYTES },
      },
    });
    if (out.status === 'failed') {
      expect(out.error.message).toMatch(/^the input of activity big\.take \(step 'again'\) is 2\./);
    }
    expect(undone).toContain('undo input');
  });

  it('a result that pushes vars over the limit fails the step that stored it, naming the var', async () => {
    const out = await harness().run({
      flow: 'big-vars',
      vars: { run: 'vars' },
      steps: [
        ...prelude,
        { id: 'b', activity: 'big.make', input: { chars: A_CHARS }, result: 'b' },
        { id: 'never', activity: 'big.take', input: 'never' },
      ],
      output: '${ $length(vars.a) }',
    });
    expect(out).toMatchObject({
      status: 'failed',
      error: {
        type: 'PayloadTooLarge',
        step: 'b',
        details: { payload: 'vars', var: 'b', limit: PAYLOAD_LIMIT_BYTES },
      },
    });
    if (out.status === 'failed') expect(out.error.message).toMatch(/^storing vars\.b makes/);
    expect(undone).toContain('undo vars');
  });

  it('a `set` that grows vars past the limit fails at that set, and the run replays', async () => {
    const handle = await harness().start({
      flow: 'big-set',
      vars: { run: 'set' },
      steps: [...prelude, { id: 'double', set: { c: '${ [vars.a] }' } }],
    });
    expect(await outcomeOf(handle)).toMatchObject({
      status: 'failed',
      error: { type: 'PayloadTooLarge', step: 'double', details: { var: 'c' } },
    });
    // Too large to keep in test/histories: replayed here, with the patch marker it recorded.
    const history = await handle.fetchHistory();
    expect(history.events?.some((e) => e.markerRecordedEventAttributes)).toBe(true);
    await Worker.runReplayHistory(
      { workflowBundle: await interpreterBundle() },
      history,
      handle.workflowId,
    );
  });

  it('a child flow input over the limit fails the flow step', async () => {
    const out = await harness().run({
      flow: 'big-child',
      vars: { run: 'child' },
      flows: { child: { steps: [{ log: 'child' }] } },
      steps: [...prelude, { id: 'spawn', flow: 'child', input: '${ [vars.a, vars.a] }' }],
      output: '${ $length(vars.a) }',
    });
    expect(out).toMatchObject({
      status: 'failed',
      error: { type: 'PayloadTooLarge', step: 'spawn', details: { payload: 'input' } },
    });
    expect(undone).toContain('undo child');
  });

  it('payloads under the limit pass unchanged', async () => {
    const out = await harness().run({
      flow: 'big-ok',
      vars: { run: 'ok' },
      steps: [...prelude, { id: 'send', activity: 'big.take', input: '${ vars.a }', result: 'n' }],
      output: '${ vars.n }',
    });
    expect(out).toEqual({ status: 'completed', output: A_CHARS + 2 });
  });

  it('a while loop whose vars grow each iteration fails with PayloadTooLarge at the set that passes the limit, and compensates', async () => {
    const out = await harness().run({
      flow: 'big-while',
      vars: { run: 'while', i: 0, items: [] },
      steps: [
        prelude[0],
        { id: 'chunk', activity: 'big.make', input: { chars: 100_000 }, result: 'chunk' },
        {
          id: 'grow',
          while: '${ vars.i < 100 }',
          steps: [
            { id: 'append', set: { items: '${ $append(vars.items, vars.chunk) }' } },
            { id: 'next', set: { i: '${ vars.i + 1 }' } },
          ],
        },
      ],
      output: '${ vars.i }',
    });
    expect(out).toMatchObject({
      status: 'failed',
      error: { type: 'PayloadTooLarge', details: { payload: 'vars', var: 'items' } },
    });
    // About 100 KB per iteration: the 20th or so append passes 2 MB (the chunk is in vars too).
    if (out.status === 'failed') expect(out.error.step).toMatch(/^append#(1[6-9]|20)$/);
    expect(undone).toContain('undo while');
  });

  it('an activity result over the limit (refused by the server) fails the step with PayloadTooLarge too', async () => {
    const out = await harness().run({
      flow: 'big-result',
      vars: { run: 'result' },
      steps: [
        prelude[0],
        { id: 'huge', activity: 'big.make', input: { chars: 2_200_000 }, result: 'huge' },
      ],
      output: 'never',
    });
    expect(out).toMatchObject({
      status: 'failed',
      error: {
        type: 'PayloadTooLarge',
        step: 'huge',
        details: { payload: 'result' },
        retryState: 'NON_RETRYABLE_FAILURE',
      },
    });
    if (out.status === 'failed') {
      expect(out.error.message).toMatch(/^the result of activity big\.make \(step 'huge'\)/);
    }
    expect(undone).toContain('undo result');
  });
});
