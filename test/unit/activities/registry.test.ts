import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { definePlugin, loadPlugins, PluginError, Registry } from '../../../interpreter/activities';
import { TEST_ACTIVITIES } from '../../fixtures/plugins/test-activities';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('activity registry', () => {
  it('always starts with the built-in plugins, and the test activities are not among them', async () => {
    const registry = await loadPlugins([]);
    expect(registry.names()).toEqual(['http.request', 'sse.consume']);
  });

  it('serves the test activities only when a test loads their module', async () => {
    const registry = await loadPlugins([TEST_ACTIVITIES]);
    expect(registry.names()).toEqual([
      'http.request',
      'sse.consume',
      'test.count',
      'test.echo',
      'test.fail',
      'test.sleep',
      'test.spin',
    ]);
  });

  it('loads a plain-object plugin without imports, and its manifest entry is plain JSON', async () => {
    const registry = await loadPlugins([fixture('plain.plugin.mjs')]);
    const entry = registry.manifest().activities.find((a) => a.name === 'inventory.reserve');
    expect(entry).toEqual({
      name: 'inventory.reserve',
      description: 'Reserve stock for an order',
      input: { type: 'object', required: ['orderId'], properties: { orderId: { type: 'string' } } },
      output: { type: 'object' },
      defaults: { timeouts: { startToClose: '10s' }, retry: { maximumAttempts: 3 } },
    });
    expect(JSON.parse(JSON.stringify(registry.manifest()))).toEqual(registry.manifest());
  });

  it('loads TypeScript plugins exported as `plugin`, and arrays exported as `plugins`', async () => {
    const registry = await loadPlugins([fixture('typed.plugin.ts'), fixture('many.plugin.mjs')]);
    expect(registry.has('math.square')).toBe(true);
    expect(registry.has('math.fib')).toBe(true);
    expect(registry.has('a.one')).toBe(true);
    expect(registry.has('b.two')).toBe(true);
  });

  it('resolves relative specifiers against cwd', async () => {
    const registry = await loadPlugins(
      ['./fixtures/plain.plugin.mjs'],
      fileURLToPath(new URL('.', import.meta.url)),
    );
    expect(registry.has('inventory.reserve')).toBe(true);
  });

  it('rejects a duplicate activity name, naming both plugins', async () => {
    const err = await loadPlugins([TEST_ACTIVITIES, fixture('duplicate.plugin.mjs')]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PluginError);
    expect((err as PluginError).code).toBe('WEFT_DUPLICATE_ACTIVITY');
    expect((err as PluginError).message).toBe(
      'activity test.echo is registered twice (plugins test and dup)',
    );
  });

  it('rejects a module that exports no plugin, and a module that does not load', async () => {
    const none = await loadPlugins([fixture('empty.mjs')]).catch((e: unknown) => e);
    expect((none as PluginError).code).toBe('WEFT_PLUGIN_INVALID');
    const missing = await loadPlugins([fixture('missing.mjs')]).catch((e: unknown) => e);
    expect((missing as PluginError).code).toBe('WEFT_PLUGIN_LOAD');
  });

  it('rejects activities without run, broken schemas and in-memory thread plugins', () => {
    const r = new Registry();
    expect(() => r.add({ name: 'x', activities: [{ name: 'x.a' } as never] })).toThrow(
      'each activity needs a name and a run function',
    );
    expect(() =>
      r.add({ name: 'y', activities: [{ name: 'y.a', input: { type: 'nope' }, run: () => 1 }] }),
    ).toThrow(/activity y.a: invalid JSON Schema/);
    expect(() =>
      r.add(
        definePlugin({ name: 'z', activities: [{ name: 'z.a', runIn: 'thread', run: () => 1 }] }),
      ),
    ).toThrow("activity z.a: runIn 'thread' needs a plugin loaded from a module file");
    expect(r.names()).toEqual([]);
  });
});
