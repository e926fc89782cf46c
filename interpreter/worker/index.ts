export {
  bundleKey,
  cachedBundle,
  INTERPRETER_BUNDLE,
  WORKFLOWS_PATH,
  workflowBundle,
} from './bundle';
export { exitSoon } from './exit';
export { replayHistory } from './replay';
export { type RunWorkersOptions, runWorkers, type WorkerGroup } from './run';
export { createWeftWorker, type WeftWorkerOptions } from './worker';
