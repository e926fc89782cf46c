import type { TestProject } from 'vitest/node';
import { ensureServer } from '../../interpreter/temporal';
import { workflowBundle } from '../../interpreter/worker';
import { ensureDesignerBuilt } from './designer-build';

declare module 'vitest' {
  export interface ProvidedContext {
    temporal: { address: string; namespace: string };
  }
}

/**
 * One real Temporal dev server for the whole integration run (or the server named by
 * TEMPORAL_ADDRESS). Child processes that tests spawn (`weft run`, workers) find it through
 * TEMPORAL_ADDRESS too, so nothing in a test starts a second server by accident.
 */
export default async function setup(project: TestProject) {
  const server = await ensureServer({
    ui: false,
    onProgress: (line) => console.log(`[temporal] ${line}`),
  });
  project.provide('temporal', { address: server.address, namespace: server.namespace });
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
  // Bundling the interpreter takes seconds on two cores: do it once, before the test files start,
  // and let them load it from the disk cache. A bundle that fails here fails again, with its
  // error, in the tests that need it.
  try {
    await workflowBundle();
  } catch (err) {
    console.error(`[weft] the interpreter bundle failed: ${(err as Error).message}`);
  }
  // A designer build older than its sources would have the browser tests check old code.
  ensureDesignerBuilt({ stale: true });
  return async () => {
    await server.stop();
  };
}
