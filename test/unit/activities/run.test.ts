import { fileURLToPath } from 'node:url';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';
import { TEST_ACTIVITIES } from '../../fixtures/plugins/test-activities';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const registry = await loadPlugins([
  fixture('plain.plugin.mjs'),
  fixture('typed.plugin.ts'),
  TEST_ACTIVITIES,
]);
const fns = registry.activities();
afterAll(() => registry.close());

function fn(name: string) {
  const f = fns[name];
  if (!f) throw new Error(`no activity ${name}`);
  return f;
}

async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('wrapped activities', () => {
  it('gives the plugin ctx.attempt and ctx.heartbeat', async () => {
    const env = new MockActivityEnvironment({ attempt: 3 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const out = await env.run(fn('inventory.reserve'), { orderId: 'A1' });
    expect(out).toEqual({ id: 'r-A1', attempt: 3 });
    expect(beats).toEqual([{ reserved: 'A1' }]);
  });

  it('fails a mismatching input with non-retryable InvalidInput before the plugin runs', async () => {
    const env = new MockActivityEnvironment();
    const f = await failure(env.run(fn('inventory.reserve'), { order: 'A1' }));
    expect(f.type).toBe('InvalidInput');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toBe(
      "inventory.reserve: input does not match the activity's schema: / must have required property 'orderId'",
    );
  });

  it('types a thrown error by its name, keeping nonRetryable from a plain object plugin', async () => {
    const f = await failure(new MockActivityEnvironment().run(fn('inventory.outOfStock'), {}));
    expect(f.type).toBe('OutOfStock');
    expect(f.message).toBe('no stock left');
    expect(f.nonRetryable).toBe(true);
  });

  it('test.fail fails retryably until failTimes, then succeeds', async () => {
    const input = { type: 'Flaky', message: 'not yet', failTimes: 2, result: 'ok' };
    const f1 = await failure(
      new MockActivityEnvironment({ attempt: 1 }).run(fn('test.fail'), input),
    );
    expect([f1.type, f1.message, f1.nonRetryable]).toEqual(['Flaky', 'not yet', false]);
    await failure(new MockActivityEnvironment({ attempt: 2 }).run(fn('test.fail'), input));
    expect(await new MockActivityEnvironment({ attempt: 3 }).run(fn('test.fail'), input)).toBe(
      'ok',
    );
  });

  it('test.fail carries details', async () => {
    const f = await failure(
      new MockActivityEnvironment().run(fn('test.fail'), {
        type: 'PaymentDeclined',
        nonRetryable: true,
        details: { code: 51 },
      }),
    );
    expect(f.type).toBe('PaymentDeclined');
    expect(f.details).toEqual([{ code: 51 }]);
  });

  it('test.sleep heartbeats and stops when cancelled', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => {
      beats.push(d);
      env.cancel();
    });
    const err = await env
      .run(fn('test.sleep'), { duration: '1h', heartbeatEvery: 20 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(beats).toEqual([{ slept: 20, of: 3_600_000 }]);
  });

  it("runs runIn: 'thread' plugins off the main thread, relaying heartbeats", async () => {
    // A thread takes a while to boot on a busy machine: more than the mock's 1s start-to-close.
    const env = new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const out = await env.run(fn('math.fib'), { n: 20 });
    expect(out).toEqual({ value: 6765, mainThread: false });
    // Until the plugin starts, the pool heartbeats on its behalf with the previous details.
    expect(beats.filter((b) => b !== undefined)).toEqual([{ n: 20 }]);
  });

  it('cancels a CPU-bound thread activity by replacing its thread', async () => {
    const env = new MockActivityEnvironment();
    env.on('heartbeat', () => env.cancel());
    const err = await env.run(fn('test.spin'), { duration: '1h' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledFailure);
    // The pool still works afterwards.
    const out = await new MockActivityEnvironment({ startToCloseTimeoutMs: 60_000 }).run(
      fn('test.spin'),
      { duration: 10 },
    );
    expect(out).toMatchObject({ mainThread: false });
  });
});
