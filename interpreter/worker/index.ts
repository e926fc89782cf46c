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
export {
  DEFAULT_WORKER_HEAP_MB,
  type SupervisorOptions,
  type WorkerProcessMessage,
  WorkerSupervisor,
  workerHeapMb,
} from './supervisor';
export { createWeftWorker, type WeftWorkerOptions } from './worker';
