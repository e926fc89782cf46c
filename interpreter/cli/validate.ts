import { parseArgs } from 'node:util';
import { type Diagnostic, formatDiagnostic } from '../dsl';
import { loadFlowFile } from '../dsl/node';
import type { ActivityManifest } from '../model';
import { type Command, EXIT, UsageError } from './command';
import { readOpenApiFor } from './ows-args';
// plugin-args imports nothing heavy, so `weft validate` still loads no Temporal client code.
import { takePlugins } from './plugin-args';

const usage = 'weft validate <files…> [--plugins <module>…] [--json]';

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
    const { rest, plugins } = takePlugins(args);
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
    // Flows of one folder share its activities file: report that file's problems once.
    const seen = new Set<string>();
    for (const file of files) {
      await readOpenApiFor(file);
      const { diagnostics } = loadFlowFile(file, manifest ? { manifest } : {});
      for (const d of diagnostics) {
        const withFile = { ...d, file: d.file ?? file };
        const key = `${withFile.file}:${d.line}:${d.col} ${d.code} ${d.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
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
