import { fileURLToPath } from 'node:url';
import { loadPlugins } from '../../interpreter/activities';
import { loadFlowFile } from '../../interpreter/dsl/node';
import type { CompiledFlow } from '../../interpreter/model';
import { spawnWeft, weftEnv } from '../integration/cli/weft';

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** True when the process had to be killed because it outlived the bound. */
  killed: boolean;
}

/**
 * A `weft` child (spawnWeft's, so the spawn and the output collection are one piece) whose
 * `waitFor` reads both streams and whose `exited` never waits longer than the caller says.
 */
export function startWeft(args: string[], env: NodeJS.ProcessEnv = weftEnv()) {
  const weft = spawnWeft(args, env);
  const { child, stderr, stdout } = weft;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stderr,
    stdout,
    /** Resolves once stdout or stderr contains `text`; rejects when the process exits first. */
    async waitFor(text: string, ms: number): Promise<void> {
      const deadline = Date.now() + ms;
      while (!stderr().includes(text) && !stdout().includes(text)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`weft exited before "${text}":\n${stderr()}`);
        }
        if (Date.now() > deadline) throw new Error(`no "${text}" after ${ms} ms:\n${stderr()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** Waits for the exit at most `ms`, then SIGKILLs (and says so in `killed`). */
    async exited(ms: number): Promise<Exited> {
      let killed = false;
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, ms);
      const { code, signal } = await exit;
      clearTimeout(timer);
      return { code, signal, stderr: stderr(), killed };
    },
  };
}

/** A fixture flow of test/faults/fixtures, compiled against the given plugins. */
export async function compiledFixture(file: string, plugins: string[]): Promise<CompiledFlow> {
  const registry = await loadPlugins(plugins);
  const path = fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));
  const { compiled } = loadFlowFile(path, { manifest: registry.manifest() });
  if (!compiled) throw new Error(`${file} does not compile`);
  return compiled;
}

/** Polls `check` for at most `ms`; throws with `what` when it never gives a value. */
export async function eventually<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `p`, or an error naming `what` once `ms` have passed. */
export function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not after ${ms} ms`)), ms),
    ),
  ]);
}
