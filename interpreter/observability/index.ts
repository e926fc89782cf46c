// installRuntime is not here but in ./runtime, imported only by what runs a worker: it loads
// Temporal's worker package, which the other commands never need.

export { parseHostPort } from './host-port';
export { JsonLogger, type Logger, parseLogLevel } from './logger';
export { METRICS, STEP_DURATION_BUCKETS } from './names';
export { OtlpHttpJsonExporter, otlpBody, parseOtlpHeaders } from './otlp-exporter';
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
