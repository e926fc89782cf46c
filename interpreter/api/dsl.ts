import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkFlowText, type Diagnostic, decodeUtf8, hasErrors } from '../dsl';
import { compileText, manifestWithActivitiesFile } from '../dsl/node';
import type { ActivityManifest, CompiledFlow } from '../model';
import type { RouteDeps } from './context';
import { ApiError } from './errors';
import { FLOW_FILE, type FlowsDir, isInside } from './flows-dir';

export type { Diagnostic } from '../dsl';

/**
 * The manifest a flow at `file` (relative to the flows folder) is checked against: the server's
 * (plugins plus the folder root's activities file) plus the activities file of the flow's own
 * subfolder, as `weft validate` reads the one beside the file. Only folders inside the flows
 * folder are read.
 */
function manifestFor(deps: Pick<RouteDeps, 'flows' | 'manifest'>, file?: string): ActivityManifest {
  const base = deps.manifest();
  const sub = file === undefined ? '.' : dirname(file);
  if (sub === '.' || sub === '') return base;
  try {
    const root = realpathSync(deps.flows.root);
    const dir = realpathSync(join(root, sub));
    if (!isInside(root, dir) || dir === root) return base;
    return manifestWithActivitiesFile(base, dir).manifest ?? base;
  } catch {
    return base; // a folder that does not exist declares nothing
  }
}

/** Diagnostics for a flow text, checked against this server's activity manifest. */
export function checkText(
  deps: RouteDeps,
  text: string,
  file?: string,
): { diagnostics: Diagnostic[] } {
  const result = checkFlowText(text, {
    ...(file === undefined ? {} : { file }),
    manifest: manifestFor(deps, file),
  });
  return { diagnostics: result.diagnostics };
}

function invalid(what: string, diagnostics: Diagnostic[]): ApiError {
  return new ApiError('WEFT_API_INVALID_FLOW', `${what} is not a valid flow.`, { diagnostics });
}

/**
 * Child flow files are read only from inside the flows folder: a flow that names
 * `../../secret.flow.yaml` gets a "cannot read" diagnostic, not the file.
 */
function confinedReader(realRoot: string): (path: string) => string | undefined {
  return (path) => {
    try {
      const real = realpathSync(path);
      if (!isInside(realRoot, real) || !FLOW_FILE.test(real)) return undefined;
      const decoded = decodeUtf8(readFileSync(real));
      return 'text' in decoded ? decoded.text : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * The compiled flow behind POST /api/runs: a file under the flows folder (its child flow files
 * resolve next to it), or a definition given as text (compiled as if it sat at the folder's
 * root, so relative child flows resolve inside the folder too).
 */
export async function compileForRun(
  deps: Pick<RouteDeps, 'flows' | 'manifest'>,
  source: { file: string } | { definition: string },
): Promise<CompiledFlow> {
  return (await compileSource(deps, source)).compiled;
}

/** The same, with the text it compiled: one read, so the text is the version compiled. */
export async function compileSource(
  deps: Pick<RouteDeps, 'flows' | 'manifest'>,
  source: { file: string } | { definition: string },
): Promise<{ compiled: CompiledFlow; text: string }> {
  const realRoot = await deps.flows.realRoot();
  let text: string;
  let path: string;
  let what: string;
  if ('file' in source) {
    const file = await deps.flows.read(source.file);
    text = file.text;
    path = file.abs;
    what = `'${file.path}'`;
  } else {
    text = source.definition;
    path = join(realRoot, 'definition.flow.yaml');
    what = 'The definition';
  }
  const result = compileText(text, path, {
    manifest: 'file' in source ? manifestFor(deps, source.file) : deps.manifest(),
    readFile: confinedReader(realRoot),
  });
  if (!result.compiled || hasErrors(result.diagnostics)) throw invalid(what, result.diagnostics);
  return { compiled: result.compiled, text };
}

/** Every flow under the folder that compiles; the others are skipped (validation reports them). */
export async function compileAll(
  flows: FlowsDir,
  manifest: ActivityManifest,
): Promise<CompiledFlow[]> {
  const out: CompiledFlow[] = [];
  const entries = await flows.list().catch(() => []);
  for (const entry of entries) {
    try {
      out.push(await compileForRun({ flows, manifest: () => manifest }, { file: entry.path }));
    } catch {
      // Invalid or unreadable: nothing to serve for it.
    }
  }
  return out;
}
