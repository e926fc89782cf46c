import { UsageError } from './command';

const FLOW_FILE = /\.(ya?ml|json)$/i;

/**
 * `--plugins a.ts b.mjs` takes every following word up to the next flag (and commas split too),
 * so `--plugins <module>…` reads as documented; a flow file (.yaml/.yml/.json) is never a plugin.
 * Returns the remaining args and the plugin list.
 */
export function takePlugins(args: string[]): { rest: string[]; plugins: string[] } {
  const rest: string[] = [];
  const plugins: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--plugins=')) {
      plugins.push(...a.slice('--plugins='.length).split(',').filter(Boolean));
    } else if (a === '--plugins' || a === '--plugin' || a === '-p') {
      let taken = 0;
      while (i + 1 < args.length && !args[i + 1]!.startsWith('-')) {
        const next = args[i + 1]!;
        if (taken > 0 && FLOW_FILE.test(next)) break;
        plugins.push(...next.split(',').filter(Boolean));
        taken++;
        i++;
      }
      if (taken === 0) throw new UsageError(`${a} needs at least one module`);
    } else rest.push(a);
  }
  return { rest, plugins };
}
