import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ACTIVITIES_FILE, type ActivityManifest, type CompiledFlow } from '../model';
import { compileOwsText, isOwsText } from '../ows/node';
import {
  type ActivitiesFileResult,
  parseActivitiesText,
  withExternalActivities,
} from './activities-file';
import { compileFlow } from './compile';
import { type Diagnostic, hasErrors } from './diagnostics';
import { parseFlowText } from './parse';
import { decodeUtf8, utf8Diagnostic } from './utf8';

/**
 * The dsl's Node entry: reading flow files and their child flow files from disk, and the one Node
 * wrapper around compile that the CLI, the API and the bench share. Everything else in dsl/ runs
 * in the browser too; this file is checked with the server side (tsconfig.server.json).
 */

export interface LoadResult {
  compiled?: CompiledFlow;
  diagnostics: Diagnostic[];
  /** The file's text ('' when it could not be read). */
  text: string;
}

/** A child flow file's text; bytes that are not UTF-8 read as unreadable (WEFT027). */
function readText(path: string): string | undefined {
  try {
    const decoded = decodeUtf8(readFileSync(path));
    return 'text' in decoded ? decoded.text : undefined;
  } catch {
    return undefined;
  }
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

const activityFiles = new Map<
  string,
  { mtimeMs: number; size: number; result: ActivitiesFileResult }
>();

/**
 * The external activities declared in `dir`'s activities file (weft.activities.yaml), or none
 * when the folder has no such file. Read again only when the file changes.
 */
export function loadActivitiesFile(dir: string): ActivitiesFileResult {
  const path = join(dir, ACTIVITIES_FILE);
  let stat: { mtimeMs: number; size: number };
  try {
    stat = statSync(path);
  } catch {
    return { activities: [], diagnostics: [] };
  }
  const known = activityFiles.get(path);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.result;
  const text = readText(path);
  const result =
    text === undefined
      ? {
          activities: [],
          diagnostics: [
            {
              code: 'WEFT070' as const,
              severity: 'error' as const,
              message: 'the activities file cannot be read, or is not UTF-8',
              pointer: '',
              line: 1,
              col: 1,
              file: path,
            },
          ],
        }
      : parseActivitiesText(text, path);
  activityFiles.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, result });
  return result;
}

/**
 * `manifest` plus the external activities of `dir`'s activities file, and that file's problems
 * (positioned in it). The CLI, the API and the bench all merge through here.
 */
export function manifestWithActivitiesFile(
  manifest: ActivityManifest | undefined,
  dir: string,
): { manifest: ActivityManifest | undefined; diagnostics: Diagnostic[] } {
  const external = loadActivitiesFile(dir);
  // The same merged object while neither side changes: validation caches by manifest identity.
  const known = merges.get(external);
  if (known && known.base === manifest) return known.merged;
  const merged = withExternalActivities(manifest, external);
  const out = {
    manifest: merged.manifest,
    diagnostics: [...external.diagnostics, ...merged.diagnostics],
  };
  merges.set(external, { base: manifest, merged: out });
  return out;
}

const merges = new WeakMap<
  ActivitiesFileResult,
  {
    base: ActivityManifest | undefined;
    merged: { manifest: ActivityManifest | undefined; diagnostics: Diagnostic[] };
  }
>();

export interface LoadFlowOptions {
  manifest?: ActivityManifest;
  /**
   * Whether the activities file beside the flow (weft.activities.yaml) adds its external
   * activities to the manifest (default true). Off for callers whose manifest already has them.
   */
  activitiesFile?: boolean;
}

/**
 * Reads, parses, validates and compiles a flow file, resolving child flow files next to it, with
 * the external activities declared beside it.
 */
export function loadFlowFile(path: string, options: LoadFlowOptions = {}): LoadResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
    return {
      text: '',
      diagnostics: [
        {
          code: 'WEFT050',
          severity: 'error',
          message: `cannot read the flow file: ${reason}`,
          pointer: '',
          line: 1,
          col: 1,
          file: path,
        },
      ],
    };
  }
  const decoded = decodeUtf8(bytes);
  if ('error' in decoded) {
    return { text: '', diagnostics: [utf8Diagnostic(decoded.error, path)] };
  }
  const text = decoded.text;
  if (options.activitiesFile === false) return { ...compileText(text, path, options), text };
  const declared = manifestWithActivitiesFile(options.manifest, dirname(path));
  const result = compileText(text, path, { manifest: declared.manifest });
  if (declared.diagnostics.length === 0) return { ...result, text };
  const diagnostics = [...declared.diagnostics, ...result.diagnostics];
  // A broken activities file would compile its activities' steps as plugin calls: no flow.
  if (hasErrors(declared.diagnostics)) return { diagnostics, text };
  return { ...result, diagnostics, text };
}

export interface CompileTextOptions {
  manifest?: ActivityManifest;
  /** Reads a child flow file; the default reads any file (the API confines it to its folder). */
  readFile?: (path: string) => string | undefined;
  /**
   * Reads a local OpenAPI document an OWS document calls (default: `readFile`, else any file);
   * `remoteRefused` says why HTTP ones are not fetched, when they are not.
   */
  openApi?: { readFile?: (path: string) => string | undefined; remoteRefused?: string };
}

/** Compiles flow text that lives at `path` (child files resolve relative to it). */
export function compileText(
  text: string,
  path: string,
  options: CompileTextOptions = {},
): { compiled?: CompiledFlow; diagnostics: Diagnostic[] } {
  // A Serverless Workflow document runs as the Weft flow it converts to.
  if (isOwsText(text)) {
    const readFile = options.openApi?.readFile ?? options.readFile;
    const remoteRefused = options.openApi?.remoteRefused;
    const { compiled, diagnostics } = compileOwsText(text, path, {
      manifest: options.manifest,
      ...(readFile ? { readFile } : {}),
      ...(remoteRefused === undefined ? {} : { remoteRefused }),
    });
    return compiled ? { compiled, diagnostics } : { diagnostics };
  }
  const parsed = parseFlowText(text, path);
  const readFile = options.readFile ?? readText;
  return compileFlow(parsed, { manifest: options.manifest, file: path, readFile, sha256 });
}
