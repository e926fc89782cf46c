import { parseArgs } from 'node:util';
import { type Diagnostic, formatDiagnostic, loadFlowFile } from '../dsl';
import type { ActivityManifest } from '../model';
import { type Command, EXIT, UsageError } from './command';

const usage = 'weft validate <files…> [--plugins <module>…] [--json]';

const FLOW_FILE = /\.(ya?ml|json)$/i;

/**
 * `--plugins a.mjs b.ts` takes the following words up to the next flag (commas split too), as
 * `weft run` does; a flow file (.yaml/.yml/.json) after the first module ends the list. Kept
 * here so `weft validate` loads no Temporal client code.
 */
export function splitPluginArgs(args: string[]): { rest: string[]; plugins: string[] } {
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

async function manifestFor(plugins: string[]): Promise<ActivityManifest | undefined> {
  // Without --plugins there is no manifest, so activity names and inputs are not checked.
  if (plugins.length === 0) return undefined;
  // Loaded only when asked for: plugin loading pulls in the activity runtime.
  const { loadPlugins } = await import('../activities');
  try {
    return (await loadPlugins(plugins)).manifest();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function summary(diagnostics: Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}

const command: Command = {
  summary: 'Check flow files against the schema and the rules; exit 1 when any has an error.',
  usage,
  async run(args) {
    const { rest, plugins } = splitPluginArgs(args);
    let parsed: ReturnType<
      typeof parseArgs<{ options: { json: { type: 'boolean' } }; allowPositionals: true }>
    >;
    try {
      parsed = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { json: { type: 'boolean' } },
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const files = parsed.positionals;
    if (files.length === 0) throw new UsageError('give at least one flow file');
    const manifest = await manifestFor(plugins);

    const all: Diagnostic[] = [];
    for (const file of files) {
      const { diagnostics } = await loadFlowFile(file, manifest ? { manifest } : {});
      for (const d of diagnostics) {
        const withFile = { ...d, file: d.file ?? file };
        all.push(withFile);
        if (!parsed.values.json) console.log(formatDiagnostic(withFile));
      }
    }
    if (parsed.values.json) console.log(JSON.stringify(all, null, 2));
    else if (all.length > 0) console.error(summary(all, files.length));
    return all.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok;
  },
};

export default command;
