/**
 * `weft/client`: start flows and talk to running ones from the application's own code, as the
 * CLI and the HTTP API do. Every function takes a connected @temporalio/client `Client`
 * (`connectFromEnv` makes one the way the CLI does).
 */

import type { Diagnostic } from '../dsl/diagnostics';
import { formatDiagnostic } from '../dsl/diagnostics';
import { loadFlowFile } from '../dsl/node';
import type { CompiledFlow } from '../model';

/** A flow file that does not compile; `diagnostics` are those `weft validate` prints. */
export class FlowCompileError extends Error {
  override name = 'FlowCompileError';
  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostic[],
  ) {
    super(`${file} does not compile:\n${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`);
  }
}

/** Reads and compiles a `.flow.yaml` file (child flow files resolve beside it), or throws. */
export function loadFlow(path: string): CompiledFlow {
  const { compiled, diagnostics } = loadFlowFile(path);
  if (!compiled || diagnostics.some((d) => d.severity === 'error'))
    throw new FlowCompileError(path, diagnostics);
  return compiled;
}

export {
  ClientError,
  type ClientErrorCode,
  cancelFlow,
  connectFromEnv,
  DEFAULT_TASK_QUEUE,
  describeFlow,
  type FlowDescription,
  type FlowListing,
  type FlowOutcome,
  flowOutcome,
  flowResult,
  type ListFlowsOptions,
  listFlows,
  queryFlow,
  type StartedFlow,
  type StartFlowOptions,
  signalFlow,
  startFlow,
  updateFlow,
} from '../client';
export { compileText, type LoadResult, loadFlowFile } from '../dsl/node';
export type { CompiledFlow, FlowError } from '../model';
export type { Diagnostic };
