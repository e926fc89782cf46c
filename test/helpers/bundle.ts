import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

/** The interpreter's sandbox entry point. */
export const WORKFLOWS_PATH = fileURLToPath(
  new URL('../../interpreter/workflow/index.ts', import.meta.url),
);

let bundle: Promise<{ codePath: string }> | undefined;

/**
 * The interpreter's workflow bundle, built once per test run: global-setup.ts builds it and
 * passes its path through WEFT_TEST_WORKFLOW_BUNDLE; a file run alone builds its own.
 */
export function interpreterBundle(): Promise<{ codePath: string }> {
  const prebuilt = process.env.WEFT_TEST_WORKFLOW_BUNDLE;
  if (prebuilt && existsSync(prebuilt)) return Promise.resolve({ codePath: prebuilt });
  bundle ??= buildBundleFile(WORKFLOWS_PATH);
  return bundle;
}

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
