import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowBundle } from '../../interpreter/worker';

export { WORKFLOWS_PATH } from '../../interpreter/worker';

/**
 * The interpreter's workflow bundle exactly as `weft worker` builds it (with Weft's
 * interceptors), cached on disk by content hash: global-setup.ts warms the cache once per run.
 */
export function interpreterBundle(): Promise<WorkflowBundleWithSourceMap> {
  return workflowBundle();
}

/** A bundle of any workflows file, e.g. a changed copy of the interpreter for replay tests. */
export async function buildBundleFile(workflowsPath: string): Promise<{ codePath: string }> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  const dir = join(tmpdir(), 'weft-test-bundles');
  mkdirSync(dir, { recursive: true });
  const codePath = join(dir, `bundle-${process.pid}-${Date.now()}.js`);
  writeFileSync(codePath, code);
  return { codePath };
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error(message: string, meta?: Record<string, unknown>) {
    console.error(message, meta ?? '');
  },
};
