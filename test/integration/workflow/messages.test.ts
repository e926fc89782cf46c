// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it, vi } from 'vitest';
import type { FlowProgress } from '../../../interpreter/model/progress';
import { testActivities } from '../../fixtures/activities';
import { eventTypes, harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const t = testActivities();
const harness = harnessPerFile({ activities: t.activities });

const cart = {
  flow: 'cart',
  vars: { items: [], approved: false },
  queries: { status: "${ { 'approved': vars.approved, 'count': $count(vars.items) } }" },
  signals: {
    approve: {
      input: {
        type: 'object',
        required: ['approved'],
        properties: { approved: { type: 'boolean' } },
      },
      set: { approved: '${ payload.approved }' },
    },
  },
  updates: {
    addItem: {
      input: { type: 'object', required: ['qty'] },
      validate: '${ payload.qty > 0 }',
      steps: [{ id: 'add', set: { items: '${ $append(vars.items, [payload]) }' } }],
      output: '${ $count(vars.items) }',
    },
  },
  steps: [{ id: 'gate', wait: { condition: '${ vars.approved }', timeout: '1m' } }],
  output: '${ vars.items }',
};

/**
 * Payload schemas with keywords the sandbox ignored before PATCHES.messageSchemaKeywords:
 * `pattern` on a signal whose handler issues a command (its timer), `minItems` on an update.
 */
const tagged = {
  flow: 'tagged',
  vars: { tags: [] },
  queries: { tags: '${ vars.tags }' },
  signals: {
    tag: {
      input: { type: 'string', pattern: '^[a-z]+$' },
      steps: [
        { id: 'pause', sleep: '1ms' },
        { id: 'keep', set: { tags: '${ $append(vars.tags, [payload]) }' } },
      ],
    },
    done: {},
  },
  updates: { bulk: { input: { type: 'array', minItems: 1 }, output: '${ $count(payload) }' } },
  steps: [{ id: 'gate', wait: { signal: 'done', timeout: '1m' } }],
  output: '${ vars.tags }',
};

/** Sends `Bad!` then `ok` to `tag`, waits until the handlers ran, then `done`. */
async function tagTwice(handle: WorkflowHandle, expected: string[]): Promise<void> {
  await handle.signal('tag', 'Bad!');
  await handle.signal('tag', 'ok');
  await vi.waitFor(async () => expect(await handle.query('tags')).toEqual(expected), {
    timeout: 20_000,
    interval: 100,
  });
  await handle.signal('done');
}

describe('queries, signals and updates', () => {
  it('enforces every keyword of a payload schema: pattern drops a signal, minItems rejects an update', async () => {
    const handle = await harness().start(tagged);
    await expect(handle.executeUpdate('bulk', { args: [[]] })).rejects.toMatchObject({
      cause: { message: 'InvalidPayload: / must not have fewer than 1 items' },
    });
    expect(await handle.executeUpdate('bulk', { args: [['a']] })).toBe(1);
    await tagTwice(handle, ['ok']);
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: ['ok'] });
    // Only the dropped signal disagreed with the old check, so the run asked for the patch.
    expect(await eventTypes(handle)).toContain('MARKER_RECORDED');
    await recordHistory(handle, 'message-schema-keywords');
  });

  it('answers queries, applies checked signals, validates and returns from updates', async () => {
    const handle = await harness().start(cart);
    expect(await handle.query('status')).toEqual({ approved: false, count: 0 });
    expect(await handle.executeUpdate('addItem', { args: [{ sku: 'a', qty: 2 }] })).toBe(1);

    const before = (await eventTypes(handle)).length;
    await expect(
      handle.executeUpdate('addItem', { args: [{ sku: 'b', qty: 0 }] }),
    ).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate('addItem', { args: [{ sku: 'c' }] })).rejects.toBeInstanceOf(
      WorkflowUpdateFailedError,
    );
    const after = await eventTypes(handle);
    // A rejected update never reaches the history.
    expect(after.length).toBe(before);
    expect(after).not.toContain('WORKFLOW_EXECUTION_UPDATE_REJECTED');

    await handle.signal('approve', { approved: 'yes' }); // fails the payload schema: ignored
    expect(await handle.query('status')).toEqual({ approved: false, count: 1 });
    await handle.signal('approve', { approved: true });
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: [{ sku: 'a', qty: 2 }],
    });
    await recordHistory(handle, 'messages');
  });

  it('serves weft.progress with per-step status, current steps and a vars summary', async () => {
    const handle = await harness().start({
      flow: 'progress',
      vars: { note: 'x' },
      signals: { go: {} },
      steps: [
        { id: 'first', name: 'First', set: { n: 1 } },
        { id: 'skip', when: '${ false }', set: { n: 2 } },
        { id: 'gate', wait: { signal: 'go', timeout: '1m' } },
      ],
    });
    let progress: FlowProgress | undefined;
    for (let i = 0; i < 50; i++) {
      progress = await handle.query<FlowProgress>('weft.progress');
      if (progress.current.includes('gate')) break;
    }
    expect(progress?.flow).toBe('progress');
    expect(progress?.status).toBe('running');
    expect(progress?.current).toEqual(['gate']);
    expect(progress?.steps.map((s) => [s.id, s.kind, s.status])).toEqual([
      ['first', 'set', 'completed'],
      ['skip', 'set', 'skipped'],
      ['gate', 'wait', 'running'],
    ]);
    expect(progress?.steps[0]?.name).toBe('First');
    expect(progress?.vars).toEqual({
      note: { type: 'string', preview: '"x"' },
      n: { type: 'number', preview: '1' },
    });
    await handle.signal('go');
    expect((await outcomeOf(handle)).status).toBe('completed');
    const done = await handle.query<FlowProgress>('weft.progress');
    expect(done.status).toBe('completed');
    expect(done.current).toEqual([]);
  });

  it('runs steps (activities too) in signal and update handlers; a failing update step fails the update with its type', async () => {
    const handle = await harness().start({
      flow: 'handlers',
      vars: { log: [], done: false },
      signals: {
        note: {
          steps: [
            { id: 'echo', activity: 'test.echo', input: '${ payload.text }', result: 'echoed' },
            { id: 'keep', set: { log: '${ $append(vars.log, [payload.text]) }' } },
          ],
        },
        finish: { set: { done: true } },
      },
      updates: {
        risky: {
          steps: [
            {
              id: 'risk',
              activity: 'test.fail',
              input: { type: 'Risky', message: 'update step failed' },
            },
          ],
        },
      },
      steps: [{ wait: { condition: '${ vars.done }', timeout: '1m' } }],
      output: '${ vars.log }',
    });
    await handle.signal('note', { text: 'one' });
    const failure = await handle.executeUpdate('risky').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (failure as WorkflowUpdateFailedError).cause as {
      type?: string;
      message?: string;
    };
    expect([cause.type, cause.message]).toEqual(['Risky', 'update step failed']);
    await handle.signal('note', { text: 'two' });
    await handle.signal('finish');
    const out = await outcomeOf(handle);
    expect(out.status === 'completed' && [...(out.output as string[])].sort()).toEqual([
      'one',
      'two',
    ]);
    // Each delivery ran its steps under its own ids.
    const echoes = t.calls.filter((c) => c.activity === 'test.echo').map((c) => c.activityId);
    expect(echoes.sort()).toEqual(['echo#0', 'echo#1']);
  });
});
