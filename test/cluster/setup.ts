import type { TestProject } from 'vitest/node';
import { workflowBundle } from '../../interpreter/worker';
import { type ClusterState, clusterEnv, startCluster, stopCluster } from './stack';

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterState;
  }
}

/**
 * The cluster tier's one cluster: PostgreSQL, the schema, Temporal's four services as separate
 * processes, mTLS on the frontend. Test files kill and restart services through the pid files
 * the state names; the teardown stops whatever runs then, whether the tests passed or not.
 */
export default async function setup(project: TestProject) {
  const state = await startCluster({ onProgress: (line) => console.log(`[cluster] ${line}`) });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopCluster(state);
  };
  // A Ctrl-C or a crash of the runner must not leave a database and four servers behind.
  const onSignal = () => {
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  project.provide('cluster', state);
  Object.assign(process.env, clusterEnv(state));
  try {
    await workflowBundle();
  } catch (err) {
    console.error(`[weft] the interpreter bundle failed: ${(err as Error).message}`);
  }
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stop();
  };
}
