import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTORS_MODULE } from '../observability';

/** The interpreter workflow's entry: the sandbox folder, default-exporting the dynamic workflow. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflow/index.ts', import.meta.url));

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * The interpreter bundled for the sandbox, built once per process and shared by every worker
 * and replayer in it: bundling takes seconds, and every flow runs the same code.
 */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  cached ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_MODULE],
    // Webpack's own chatter goes nowhere; real problems throw.
    logger: {
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (message, meta) => console.error(message, meta ?? ''),
      log: () => undefined,
    },
  }).catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}
