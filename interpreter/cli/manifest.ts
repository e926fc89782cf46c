import { dirname } from 'node:path';
import { loadPlugins } from '../activities';
import { externalNeeds } from '../client';
import { formatDiagnostic, hasErrors } from '../dsl';
import { loadFlowFile, manifestWithActivitiesFile } from '../dsl/node';
import type { CompiledFlow } from '../model';
import { parseCommand, printJson } from './client-args';
import { type Command, EXIT, UsageError } from './command';
import { takePlugins } from './plugin-args';

/**
 * `--external <flows…>`: what the flows need from workers of other SDKs, per task queue (each
 * external activity's name, calling convention, schemas and the steps that call it), as JSON.
 * Invalid flows print their diagnostics and exit 1.
 */
async function external(files: string[], plugins: string[]): Promise<number> {
  if (files.length === 0) throw new UsageError('--external needs the flow files to look at');
  const manifest = plugins.length > 0 ? (await loadPlugins(plugins)).manifest() : undefined;
  const flows: { file: string; flow: CompiledFlow }[] = [];
  const entries = new Map<string, ReturnType<typeof manifestWithActivitiesFile>['manifest']>();
  let failed = false;
  for (const file of files) {
    const loaded = loadFlowFile(file, manifest ? { manifest } : {});
    for (const d of loaded.diagnostics) console.error(formatDiagnostic(d, file));
    if (!loaded.compiled || hasErrors(loaded.diagnostics)) {
      failed = true;
      continue;
    }
    flows.push({ file, flow: loaded.compiled });
    const dir = dirname(file);
    entries.set(dir, manifestWithActivitiesFile(manifest, dir).manifest);
  }
  if (failed) return EXIT.failed;
  const activities = [...entries.values()].flatMap((m) => m?.activities ?? []);
  printJson({ taskQueues: externalNeeds(flows, { activities }) });
  return EXIT.ok;
}

const command: Command = {
  summary:
    'Print the activity manifest (names, descriptions, schemas, defaults) of the built-ins plus --plugins, as JSON; with --external, what the given flows need from workers of other SDKs, per task queue.',
  usage:
    'weft manifest [--plugins <module>…] | weft manifest --external <flows…> [--plugins <module>…]',
  async run(args) {
    const { rest, plugins } = takePlugins(args);
    const { values, positionals } = parseCommand({
      args: rest,
      allowPositionals: true,
      options: { external: { type: 'boolean' } },
    });
    if (values.external) return external(positionals, plugins);
    if (positionals.length > 0) {
      throw new UsageError(
        `unexpected argument "${positionals[0]}" (flow files go with --external)`,
      );
    }
    const registry = await loadPlugins(plugins);
    printJson(registry.manifest());
    return EXIT.ok;
  },
};
export default command;
