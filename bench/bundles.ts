import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTORS_MODULE } from '../interpreter/observability';
import { bundleKey, cachedBundle, INTERPRETER_BUNDLE, workflowBundle } from '../interpreter/worker';

export type Side = 'interpreter' | 'handwritten';
export const SIDES: readonly Side[] = ['interpreter', 'handwritten'];

/** The hand-written baselines' sandbox entry. */
export const HANDWRITTEN_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/** The memory bench's GC probe (see bench/workflows/gc-probe.ts). */
export const GC_PROBE_PATH = fileURLToPath(new URL('./workflows/gc-probe.ts', import.meta.url));

function handwrittenKey(): string {
  const require = createRequire(import.meta.url);
  const hash = createHash('sha256');
  const pkg = require.resolve('@temporalio/workflow/package.json');
  hash.update(readFileSync(pkg));
  hash.update(readFileSync(HANDWRITTEN_PATH));
  hash.update(readFileSync(WORKFLOW_INTERCEPTORS_MODULE));
  return hash.digest('hex').slice(0, 24);
}

/**
 * The baselines bundled with the same workflow interceptors as a Weft worker, so the two sides
 * differ only in the workflow code. Cached on disk by content, like the interpreter's bundle.
 */
const HANDWRITTEN_BUNDLE = {
  workflowsPath: HANDWRITTEN_PATH,
  workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_MODULE],
};

function handwrittenBundle(): Promise<WorkflowBundleWithSourceMap> {
  return cachedBundle('bench-handwritten', handwrittenKey(), HANDWRITTEN_BUNDLE);
}

const bundles = new Map<Side, Promise<WorkflowBundleWithSourceMap>>();

export function bundleFor(side: Side): Promise<WorkflowBundleWithSourceMap> {
  let b = bundles.get(side);
  if (!b) {
    b = side === 'interpreter' ? workflowBundle() : handwrittenBundle();
    bundles.set(side, b);
  }
  return b;
}

/**
 * A side's bundle with the GC probe added to its workflow interceptors, for the memory bench:
 * both sides get the same extra module, so the comparison stays fair.
 */
export function probedBundleFor(side: Side): Promise<WorkflowBundleWithSourceMap> {
  const probe = createHash('sha256').update(readFileSync(GC_PROBE_PATH)).digest('hex').slice(0, 8);
  const [name, key, options] =
    side === 'interpreter'
      ? ['bench-interpreter-gc', bundleKey(), INTERPRETER_BUNDLE]
      : ['bench-handwritten-gc', handwrittenKey(), HANDWRITTEN_BUNDLE];
  return cachedBundle(name, `${key}${probe}`, {
    ...options,
    workflowInterceptorModules: [...options.workflowInterceptorModules, GC_PROBE_PATH],
  });
}
