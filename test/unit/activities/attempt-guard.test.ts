import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import {
  ABANDON_GRACE_MS,
  type ActivityContext,
  abandonedActivities,
  definePlugin,
  Registry,
} from '../../../interpreter/activities';

// Issue 12, item 3: a plugin whose run never settles held its worker slot for ever. The wrapper
// must end the attempt when its time is up (or it is cancelled) and free the slot regardless.
const seen = new Map<string, ActivityContext>();
const never = (name: string) => ({
  name,
  run: (_: unknown, ctx: ActivityContext) => {
    seen.set(name, ctx);
    return new Promise(() => undefined);
  },
});
const registry = new Registry().add(
  definePlugin({
    name: 'hang',
    activities: [
      never('hang.timeout'),
      never('hang.cancel'),
      never('hang.heartbeat'),
      never('hang.again'),
      {
        name: 'hang.polite',
        run: (_: unknown, ctx: ActivityContext) =>
          new Promise((_resolve, reject) => {
            ctx.signal.addEventListener('abort', () => reject(new Error('stopped')));
          }),
      },
    ],
  }),
);
const fns = registry.activities();
const abandoned = (name: string) => abandonedActivities().byActivity[name] ?? 0;
const afterGrace = () => new Promise((r) => setTimeout(r, ABANDON_GRACE_MS + 200));

async function outcome(env: MockActivityEnvironment, name: string): Promise<unknown> {
  return env.run(fns[name]!, {}).then(
    () => 'resolved',
    (e: unknown) => e,
  );
}

describe('an activity whose plugin never settles', () => {
  it('ends soon after its start-to-close deadline with Timeout, aborts the signal, and is counted as abandoned', async () => {
    const err = await outcome(
      new MockActivityEnvironment({ startToCloseTimeoutMs: 200 }),
      'hang.timeout',
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).type).toBe('Timeout');
    expect((err as ApplicationFailure).nonRetryable).toBe(false);
    expect((err as ApplicationFailure).message).toBe(
      'hang.timeout: its start-to-close timeout of 0.2s passed; the worker aborted its signal and freed its slot',
    );
    expect(seen.get('hang.timeout')?.signal.aborted).toBe(true);
    expect(abandoned('hang.timeout')).toBe(0);
    await afterGrace();
    expect(abandoned('hang.timeout')).toBe(1);
  });

  it('ends at once when Temporal cancels it', async () => {
    const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000 });
    const pending = outcome(env, 'hang.cancel');
    await new Promise((r) => setTimeout(r, 50));
    env.cancel('CANCELLED');
    const err = await pending;
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(seen.get('hang.cancel')?.signal.aborted).toBe(true);
  });

  it('ends when no heartbeat came within the heartbeat timeout', async () => {
    const err = await outcome(
      new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000, heartbeatTimeoutMs: 150 }),
      'hang.heartbeat',
    );
    expect((err as ApplicationFailure).type).toBe('Timeout');
    expect((err as ApplicationFailure).message).toContain(
      'no heartbeat within its heartbeat timeout',
    );
  });

  it('a plugin that stops on its signal is not counted as abandoned', async () => {
    const err = await outcome(
      new MockActivityEnvironment({ startToCloseTimeoutMs: 100 }),
      'hang.polite',
    );
    expect((err as ApplicationFailure).type).toBe('Timeout');
    await afterGrace();
    expect(abandoned('hang.polite')).toBe(0);
  });

  it('once abandoned, later attempts stop just before the deadline, saying the plugin ignores cancellation', async () => {
    await outcome(new MockActivityEnvironment({ startToCloseTimeoutMs: 100 }), 'hang.again');
    await afterGrace();
    expect(abandoned('hang.again')).toBe(1);
    const err = await outcome(
      new MockActivityEnvironment({ startToCloseTimeoutMs: 1000, attempt: 2 }),
      'hang.again',
    );
    expect((err as ApplicationFailure).type).toBe('Timeout');
    expect((err as ApplicationFailure).message).toBe(
      'hang.again: the plugin ignores cancellation (1 attempt(s) abandoned on this worker, still running), so this attempt was stopped 100 ms before its start-to-close timeout of 1s and its slot freed',
    );
  });
});
