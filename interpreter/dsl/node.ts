import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ActivityManifest, CompiledFlow } from '../model';
import { compileOwsText, isOwsText } from '../ows/node';
import { compileFlow } from './compile';
import type { Diagnostic } from './diagnostics';
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

/** Reads, parses, validates and compiles a flow file, resolving child flow files next to it. */
export function loadFlowFile(
  path: string,
  options: { manifest?: ActivityManifest } = {},
): LoadResult {
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
  return { ...compileText(text, path, options), text };
}

export interface CompileTextOptions {
  manifest?: ActivityManifest;
  /** Reads a child flow file; the default reads any file (the API confines it to its folder). */
  readFile?: (path: string) => string | undefined;
}

/** Compiles flow text that lives at `path` (child files resolve relative to it). */
export function compileText(
  text: string,
  path: string,
  options: CompileTextOptions = {},
): { compiled?: CompiledFlow; diagnostics: Diagnostic[] } {
  // A Serverless Workflow document runs as the Weft flow it converts to.
  if (isOwsText(text)) {
    const { compiled, diagnostics } = compileOwsText(text, path, {
      manifest: options.manifest,
      ...(options.readFile ? { readFile: options.readFile } : {}),
    });
    return compiled ? { compiled, diagnostics } : { diagnostics };
  }
  const parsed = parseFlowText(text, path);
  const readFile = options.readFile ?? readText;
  return compileFlow(parsed, { manifest: options.manifest, file: path, readFile, sha256 });
}
