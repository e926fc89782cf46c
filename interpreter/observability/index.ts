export { JsonLogger, type Logger, parseLogLevel } from './logger';
export { METRICS, STEP_DURATION_BUCKETS } from './names';
export { installRuntime, parseHostPort, type RuntimeSetup } from './runtime';
export { WORKFLOW_INTERCEPTORS_MODULE, weftWorkerInterceptors } from './worker';
