import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';

/** The example plugins give the same answer on every run, in any process, however often. */
type Run = (input: unknown, ctx: unknown) => unknown;
type ExamplePlugin = { activities: { name: string; run: Run }[] };
const load = async (name: string) =>
  (
    (await import(new URL(`../../../examples/plugins/${name}`, import.meta.url).href)) as {
      default: ExamplePlugin;
    }
  ).default;
const shop = await load('shop.mjs');
const compute = await load('compute.mjs');

const activity = (plugin: ExamplePlugin, name: string): Run => {
  const found = plugin.activities.find((a) => a.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found.run;
};

describe('examples/plugins/shop.mjs', () => {
  const reserve = activity(shop, 'inventory.reserve');

  it('reserves the same order any number of times: stock is a catalogue, not a counter', () => {
    const order = { orderId: 'A1', items: [{ sku: 'apple', qty: 2 }] };
    for (let i = 0; i < 1000; i++) {
      expect(reserve(order, {})).toEqual({ reservationId: 'res-A1', items: 1 });
    }
  });

  it('fails with OutOfStock only when one order wants more than the warehouse holds', () => {
    expect(() => reserve({ orderId: 'B', items: [{ sku: 'apple', qty: 101 }] }, {})).toThrow(
      'only 100 of apple left, 101 wanted',
    );
    expect(() => reserve({ orderId: 'C', items: [{ sku: 'plum', qty: 1 }] }, {})).toThrow(
      'only 0 of plum left',
    );
  });
});

describe('examples/plugins/compute.mjs', () => {
  it('demo.work leaves no abort listener behind, however many chunks it pauses for', async () => {
    const signal = new AbortController().signal;
    const ctx = { signal, attempt: 1, info: {}, heartbeat: () => undefined };
    await activity(compute, 'demo.work')({ steps: 30, delayMs: 0 }, ctx);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('a cancelled pause rejects at once, even when the signal was aborted before it began', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by the test'));
    const ctx = { signal: controller.signal, attempt: 1, info: {}, heartbeat: () => undefined };
    await expect(
      activity(compute, 'demo.work')({ steps: 1, delayMs: 10_000 }, ctx),
    ).rejects.toThrow('cancelled by the test');
  });
});
