import { readFileSync, realpathSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { checkFlowText, type Diagnostic, decodeUtf8, formatDiagnostic, hasErrors } from '../dsl';
import { compileText, manifestWithActivitiesFile } from '../dsl/node';
import type { ActivityManifest, CompiledFlow } from '../model';
import { isOwsText } from '../ows';
import type { RouteDeps } from './context';
import { ApiError } from './errors';
import { FLOW_FILE, type FlowsDir, isInside, isListedFolder } from './flows-dir';

export type { Diagnostic } from '../dsl';

type DslDeps = Pick<RouteDeps, 'flows' | 'manifest' | 'activitiesFileDiagnostics'>;

/** The flows folder with symlinks resolved, or as given when it does not exist (yet). */
function rootOf(flows: FlowsDir): string {
  try {
    return realpathSync(flows.root);
  } catch {
    return flows.root;
  }
}

/**
 * The manifest a flow at `file` (relative to the flows folder) is checked against: the server's
 * (plugins plus the folder root's activities file) plus the activities file of the flow's own
 * subfolder, as `weft validate` reads the one beside the file. Only folders inside the flows
 * folder are read. `diagnostics` are both files' problems (WEFT070-074), as `weft validate`
 * reports the problems of the file it reads; a subfolder's name that the root's file or a plugin
 * declares already is WEFT074 there, and the root's declaration is used.
 */
function declaredFor(
  deps: DslDeps,
  root: string,
  file?: string,
): { manifest: ActivityManifest; diagnostics: Diagnostic[] } {
  const base = deps.manifest();
  const rootProblems = deps.activitiesFileDiagnostics?.() ?? [];
  const sub = file === undefined ? '.' : dirname(file);
  if (sub === '.' || sub === '') return { manifest: base, diagnostics: rootProblems };
  try {
    const dir = realpathSync(join(root, sub));
    if (!isInside(root, dir) || dir === root) return { manifest: base, diagnostics: rootProblems };
    const merged = manifestWithActivitiesFile(base, dir);
    return {
      manifest: merged.manifest ?? base,
      diagnostics: [...rootProblems, ...merged.diagnostics],
    };
  } catch {
    // A folder that does not exist declares nothing.
    return { manifest: base, diagnostics: rootProblems };
  }
}

/**
 * Diagnostics as clients name files: relative to the flows folder (the paths they send), so no
 * answer carries where the folder is on the server. `fallback` names text that has no file.
 */
function forClient(
  deps: DslDeps,
  root: string,
  diagnostics: Diagnostic[],
  fallback?: string,
): Diagnostic[] {
  const bases = [...new Set([root, resolve(deps.flows.root)])];
  const strip = (text: string) => bases.reduce((t, b) => t.split(`${b}${sep}`).join(''), text);
  return diagnostics.map((d) => {
    const out: Diagnostic = { ...d, message: strip(d.message) };
    // A relative name is the one the client sent already.
    const abs = d.file;
    if (abs === undefined || !isAbsolute(abs)) return out;
    const base = bases.find((b) => isInside(b, abs));
    if (base === undefined) return out;
    const rel = relative(base, abs).split(sep).join('/');
    if (rel === PLACEHOLDER) {
      if (fallback === undefined) delete out.file;
      else out.file = fallback;
    } else out.file = rel;
    return out;
  });
}

/** Where text without a file is compiled: the folder's root, so relative paths stay inside. */
const PLACEHOLDER = 'definition.flow.yaml';

/** Where a flow at `file` sits, when that is inside the folder; the placeholder otherwise. */
function placeOf(root: string, file?: string): string {
  if (file !== undefined) {
    const abs = resolve(root, file);
    if (isInside(root, abs) && abs !== root) return abs;
  }
  return join(root, PLACEHOLDER);
}

const REMOTE_OPENAPI_REFUSED =
  'the API reads OpenAPI documents only from its flows folder, never over the network: save the document there and name it by a path relative to the flow';

/** The reads an OWS document may make while it converts: local OpenAPI documents in the folder. */
function owsReads(root: string): NonNullable<Parameters<typeof compileText>[2]>['openApi'] {
  return { readFile: confinedDocumentReader(root), remoteRefused: REMOTE_OPENAPI_REFUSED };
}

/**
 * Diagnostics for a flow text, checked against this server's activity manifest, after the
 * problems of the activities files that apply to it. `textErrors`: whether the text itself has
 * errors (an activities file's are fixed in that file, not in this text).
 */
export async function checkText(
  deps: DslDeps,
  text: string,
  file?: string,
): Promise<{ diagnostics: Diagnostic[]; textErrors: boolean }> {
  const root = rootOf(deps.flows);
  const declared = declaredFor(deps, root, file);
  let diagnostics: Diagnostic[];
  if (isOwsText(text)) {
    // As `weft validate` checks an OWS document: converted, with its OpenAPI documents read
    // (from inside the folder only), then compiled.
    diagnostics = compileText(text, placeOf(root, file), {
      manifest: declared.manifest,
      readFile: confinedReader(root),
      openApi: owsReads(root),
    }).diagnostics;
  } else {
    diagnostics = checkFlowText(text, {
      ...(file === undefined ? {} : { file }),
      manifest: declared.manifest,
    }).diagnostics;
  }
  return {
    diagnostics: forClient(deps, root, [...declared.diagnostics, ...diagnostics], file),
    textErrors: hasErrors(diagnostics),
  };
}

/**
 * The activity manifest a flow at `file` is checked against: the server's plugins, the folder's
 * activities file and the flow's subfolder's (the root's alone without `file`). The designer's
 * palette and its in-page validation use it, so they agree with the server for that flow.
 */
export async function manifestFor(deps: DslDeps, file?: string): Promise<ActivityManifest> {
  const path = file === undefined ? undefined : await deps.flows.checkPath(file);
  return declaredFor(deps, rootOf(deps.flows), path).manifest;
}

/**
 * The problems of the activities files that apply to the flow at `file` (WEFT070-074, the root's
 * then its subfolder's), named relative to the flows folder; the folder root's alone without a
 * file. The designer shows them beside the problems it finds in the text itself.
 */
export async function activitiesFileProblems(deps: DslDeps, file?: string): Promise<Diagnostic[]> {
  // The same checks as reading the flow: a flow file's name, inside the folder.
  const path = file === undefined ? undefined : await deps.flows.checkPath(file);
  const root = rootOf(deps.flows);
  return forClient(deps, root, declaredFor(deps, root, path).diagnostics);
}

function invalid(what: string, diagnostics: Diagnostic[]): ApiError {
  return new ApiError('WEFT_API_INVALID_FLOW', `${what} is not a valid flow.`, { diagnostics });
}

/**
 * A reader of files inside the flows folder that `accept` allows (given the resolved path, after
 * symlinks): anything else, or anything unreadable or not UTF-8, reads as absent.
 */
function confined(
  realRoot: string,
  accept: (real: string) => boolean,
): (path: string) => string | undefined {
  return (path) => {
    try {
      const real = realpathSync(path);
      if (!isInside(realRoot, real) || !accept(real)) return undefined;
      const decoded = decodeUtf8(readFileSync(real));
      return 'text' in decoded ? decoded.text : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * Child flow files are read only from inside the flows folder: a flow that names
 * `../../secret.flow.yaml` gets a "cannot read" diagnostic, not the file.
 */
function confinedReader(realRoot: string): (path: string) => string | undefined {
  return confined(realRoot, (real) => FLOW_FILE.test(real));
}

/**
 * The OpenAPI documents an OWS document calls are read only from inside the flows folder, only
 * as JSON or YAML files, and never from a folder the listing skips (hidden ones, .git, .weft,
 * node_modules, dist): so a flow can name `./petstore.json` beside it, and nothing else.
 */
function confinedDocumentReader(realRoot: string): (path: string) => string | undefined {
  return confined(
    realRoot,
    (real) =>
      ['.json', '.yaml', '.yml'].includes(extname(real).toLowerCase()) &&
      // Hidden files too: no segment of the path may be one the listing skips.
      relative(realRoot, real).split(sep).every(isListedFolder),
  );
}

/**
 * The compiled flow behind POST /api/runs: a file under the flows folder (its child flow files
 * resolve next to it), or a definition given as text (compiled as if it sat at the folder's
 * root, so relative child flows resolve inside the folder too).
 */
export async function compileForRun(
  deps: DslDeps,
  source: { file: string } | { definition: string },
): Promise<CompiledFlow> {
  return (await compileSource(deps, source)).compiled;
}

/** The same, with the text it compiled: one read, so the text is the version compiled. */
export async function compileSource(
  deps: DslDeps,
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
    path = join(realRoot, PLACEHOLDER);
    what = 'The definition';
  }
  const declared = declaredFor(deps, realRoot, 'file' in source ? source.file : undefined);
  const result = compileText(text, path, {
    manifest: declared.manifest,
    readFile: confinedReader(realRoot),
    openApi: owsReads(realRoot),
  });
  // As `weft run`: a broken activities file beside the flow means no run (its activities' steps
  // would compile as calls to something else).
  const diagnostics = [...declared.diagnostics, ...result.diagnostics];
  if (!result.compiled || hasErrors(diagnostics))
    throw invalid(
      what,
      forClient(deps, realRoot, diagnostics, 'file' in source ? source.file : undefined),
    );
  return { compiled: result.compiled, text };
}

/** An activities file with errors, and the flows of the folder it keeps from being served. */
export interface BlockedByActivitiesFile {
  /** The activities file, relative to the flows folder. */
  file: string;
  /** Its first error, named relative to the flows folder. */
  diagnostic: Diagnostic;
  /** The flows it applies to, relative to the flows folder. */
  flows: string[];
}

/**
 * Every flow under the folder that compiles and could run: what `weft serve` polls the task
 * queues of. The others are skipped (validation reports them). As a run is, a flow is refused
 * while an activities file that applies to it (the root's, or its subfolder's) has errors; those
 * files are in `blocked`, so the server can say which flows they keep from being served.
 */
export async function compileAll(
  deps: Pick<DslDeps, 'flows' | 'manifest' | 'activitiesFileDiagnostics'>,
): Promise<{ compiled: CompiledFlow[]; blocked: BlockedByActivitiesFile[] }> {
  const compiled: CompiledFlow[] = [];
  const blocked = new Map<string, BlockedByActivitiesFile>();
  const entries = await deps.flows.list().catch(() => []);
  const root = rootOf(deps.flows);
  for (const entry of entries) {
    const declared = forClient(deps, root, declaredFor(deps, root, entry.path).diagnostics);
    const errors = declared.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      for (const d of errors) {
        const file = d.file ?? 'weft.activities.yaml';
        const seen = blocked.get(file) ?? { file, diagnostic: d, flows: [] };
        if (!seen.flows.includes(entry.path)) seen.flows.push(entry.path);
        blocked.set(file, seen);
      }
      continue;
    }
    try {
      compiled.push(await compileForRun(deps, { file: entry.path }));
    } catch {
      // Invalid or unreadable: nothing to serve for it.
    }
  }
  return { compiled, blocked: [...blocked.values()] };
}

/** The warning `weft serve` prints at start for an activities file that keeps flows unserved. */
export function blockedWarning(b: BlockedByActivitiesFile): string {
  const n = b.flows.length;
  const d = b.diagnostic;
  return (
    `${b.file} has errors, so ${n} flow${n === 1 ? '' : 's'} (${b.flows.join(', ')}) ` +
    `${n === 1 ? 'is' : 'are'} not served: runs are refused and their task queues are not polled ` +
    `until it is fixed: ${formatDiagnostic(d)}`
  );
}
