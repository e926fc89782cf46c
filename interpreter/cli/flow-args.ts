import { readFileSync } from 'node:fs';
import { type ClientError, parseJson } from '../client';
import { formatDiagnostic } from '../dsl';
import { loadFlowFile } from '../dsl/node';
import type { ActivityManifest, CompiledFlow } from '../model';
import { UsageError } from './command';
import { readOpenApiFor } from './ows-args';

/**
 * Argument helpers shared by the flow-running commands (run, start, worker, manifest, replay).
 */

/** The flow input from `--input <json>` or `--input-file <path>`; `{}` when neither is given. */
export function readInput(values: { input?: string; 'input-file'?: string }): unknown {
  if (values.input !== undefined && values['input-file'] !== undefined) {
    throw new UsageError('give --input or --input-file, not both');
  }
  if (values.input !== undefined) return parseJsonArg(values.input, '--input');
  if (values['input-file'] !== undefined) {
    let text: string;
    try {
      text = readFileSync(values['input-file'], 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --input-file: ${(err as Error).message}`);
    }
    return parseJsonArg(text, values['input-file']);
  }
  return {};
}

/** JSON from the command line; a parse error is a usage error (exit 2). */
export function parseJsonArg(text: string, what: string): unknown {
  try {
    return parseJson(text, what);
  } catch (err) {
    throw new UsageError((err as ClientError).message);
  }
}

/** A flow file that failed validation; the diagnostics are already printed. Exit code 2. */
export class InvalidFlowError extends Error {
  readonly code = 'WEFT_INVALID_FLOW';
  override name = 'InvalidFlowError';
}

/**
 * Validates and compiles a flow file against the manifest, printing every diagnostic to stderr
 * in the compiler format. Throws InvalidFlowError when there is an error.
 */
export async function compileFlowFile(
  file: string,
  manifest: ActivityManifest,
): Promise<CompiledFlow> {
  await readOpenApiFor(file);
  const loaded = loadFlowFile(file, { manifest });
  for (const d of loaded.diagnostics) console.error(formatDiagnostic(d, file));
  if (!loaded.compiled) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
    throw new InvalidFlowError(
      `${file}: ${errors} error${errors === 1 ? '' : 's'}; the flow was not started`,
    );
  }
  return loaded.compiled;
}
