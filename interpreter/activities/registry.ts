import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { ActivityManifest, ActivityManifestEntry } from '../model';
import { AttemptGuard } from './attempt-guard';
import { activityContext } from './context';
import { PluginError, toFailure } from './errors';
import { checkInput, compileSchema } from './input';
import { ThreadPool } from './thread-pool';
import type { ActivityDefinition, Plugin } from './types';

/** A worker-ready activity function: what `Worker.create({ activities })` receives. */
export type ActivityFunction = (input: unknown) => Promise<unknown>;

interface Entry {
  plugin: string;
  /** URL of the module the plugin came from; needed to run it in a thread. */
  source?: string;
  definition: ActivityDefinition;
}

function validatePlugin(plugin: Plugin, source: string | undefined): void {
  const where = source ? ` (${source})` : '';
  if (typeof plugin.name !== 'string' || plugin.name === '') {
    throw new PluginError('WEFT_PLUGIN_INVALID', `a plugin has no name${where}`);
  }
  if (!Array.isArray(plugin.activities)) {
    throw new PluginError(
      'WEFT_PLUGIN_INVALID',
      `plugin ${plugin.name}${where}: activities must be an array`,
    );
  }
  for (const a of plugin.activities) {
    if (typeof a?.name !== 'string' || a.name === '' || typeof a.run !== 'function') {
      throw new PluginError(
        'WEFT_PLUGIN_INVALID',
        `plugin ${plugin.name}${where}: each activity needs a name and a run function`,
      );
    }
    if (a.runIn === 'thread' && !source) {
      throw new PluginError(
        'WEFT_PLUGIN_INVALID',
        `activity ${a.name}: runIn 'thread' needs a plugin loaded from a module file`,
      );
    }
    try {
      if (a.input !== undefined) compileSchema(a.input);
      if (a.output !== undefined) compileSchema(a.output);
    } catch (err) {
      throw new PluginError(
        'WEFT_PLUGIN_INVALID',
        `activity ${a.name}: invalid JSON Schema: ${(err as Error).message}`,
      );
    }
  }
}

/**
 * The activities a worker serves, by name. Names are global across plugins: registering the same
 * name twice is an error, because a flow's `activity:` must mean exactly one function.
 */
export class Registry {
  private readonly entries = new Map<string, Entry>();
  private pool: ThreadPool | undefined;

  /** Adds a plugin; `source` is the module URL it was imported from, when there is one. */
  add(plugin: Plugin, source?: string): this {
    validatePlugin(plugin, source);
    for (const definition of plugin.activities) {
      const existing = this.entries.get(definition.name);
      if (existing) {
        throw new PluginError(
          'WEFT_DUPLICATE_ACTIVITY',
          `activity ${definition.name} is registered twice (plugins ${existing.plugin} and ${plugin.name})`,
        );
      }
    }
    for (const definition of plugin.activities) {
      this.entries.set(definition.name, { plugin: plugin.name, source, definition });
    }
    return this;
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): ActivityDefinition | undefined {
    return this.entries.get(name)?.definition;
  }

  /** Names, schemas and defaults as plain JSON, sorted by name. */
  manifest(): ActivityManifest {
    const activities: ActivityManifestEntry[] = this.names().map((name) => {
      const d = this.entries.get(name)!.definition;
      const entry: ActivityManifestEntry = { name };
      if (d.description !== undefined) entry.description = d.description;
      if (d.input !== undefined) entry.input = d.input;
      if (d.output !== undefined) entry.output = d.output;
      if (d.defaults !== undefined) entry.defaults = d.defaults;
      if (d.taskQueue !== undefined) entry.taskQueue = d.taskQueue;
      return entry;
    });
    return { activities };
  }

  /**
   * The functions to give a Temporal Worker. Each one checks its input against the schema,
   * builds `ctx`, runs the plugin (in the thread pool for `runIn: 'thread'`) and types failures.
   */
  activities(): Record<string, ActivityFunction> {
    const out: Record<string, ActivityFunction> = {};
    for (const [name, entry] of this.entries) out[name] = this.wrap(name, entry);
    return out;
  }

  /** Stops the thread pool, if any thread was started. */
  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }

  private wrap(name: string, entry: Entry): ActivityFunction {
    const { definition, source, plugin } = entry;
    return async (input: unknown) => {
      const context = Context.current();
      let guard: AttemptGuard | undefined;
      let work: Promise<unknown> | undefined;
      try {
        checkInput(name, definition.input, input);
        guard = new AttemptGuard(context, name);
        const ctx = activityContext(context, guard);
        if (definition.runIn === 'thread' && source) {
          this.pool ??= new ThreadPool();
          work = this.pool.run({ moduleUrl: source, plugin, activity: name, input }, ctx);
        } else {
          const run = definition.run;
          work = (async () => run(input, ctx))();
        }
        // The attempt ends when the plugin settles or its time is up, whichever comes first.
        return await Promise.race([work, guard.stopped]);
      } catch (err) {
        // After a cancel the attempt is over; report it as cancelled, not failed.
        if (context.cancellationSignal.aborted) {
          if (err instanceof CancelledFailure) throw err;
          const reason: unknown = context.cancellationSignal.reason;
          throw reason instanceof CancelledFailure ? reason : new CancelledFailure('cancelled');
        }
        // After the worker's own timeout, whatever the plugin threw on its aborted signal (an
        // AbortError from fetch, say), the attempt failed because its time was up.
        if (guard?.signal.aborted) throw guard.signal.reason;
        throw toFailure(err);
      } finally {
        if (guard && work) guard.finish(work);
      }
    };
  }
}
