export { JsonLogger, type Logger, parseLogLevel } from './logger';
export { METRICS, STEP_DURATION_BUCKETS } from './names';
export { OtlpHttpJsonExporter, otlpBody, parseOtlpHeaders } from './otlp-exporter';
export { installRuntime, parseHostPort, type RuntimeSetup } from './runtime';
export {
  installTracing,
  OTEL_WORKFLOW_MODULE,
  type Tracing,
  tracing,
  tracingActivityInterceptors,
  tracingClientInterceptors,
  tracingSinks,
} from './tracing';
export { WORKFLOW_INTERCEPTORS_MODULE, weftWorkerInterceptors } from './worker';
