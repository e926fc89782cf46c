/**
 * Weft's own metrics. They go through the Temporal Runtime's metric meter, so they appear on the
 * same Prometheus endpoint as the SDK's worker metrics (`--metrics host:port`, route /metrics).
 * Workflow-side metrics are never emitted during replay (the SDK drops them), so a replayed
 * history does not count a flow twice.
 */
export const METRICS = {
  /** Counter, tag `flow`: flow executions started (a continue-as-new run is not a new start). */
  flowsStarted: 'weft_flows_started',
  /** Counter, tag `flow`: flow executions that completed. */
  flowsCompleted: 'weft_flows_completed',
  /** Counter, tags `flow`, `error`: flow executions that failed (error = failure type). */
  flowsFailed: 'weft_flows_failed',
  /** Counter, tag `flow`: flow executions that were cancelled. */
  flowsCancelled: 'weft_flows_cancelled',
  /** Histogram (ms), tags `activity`, `outcome` (completed|failed): one sample per attempt. */
  stepDuration: 'weft_step_duration',
} as const;

/** Bucket bounds (ms) for the step-duration histogram: 5 ms to 10 min. */
export const STEP_DURATION_BUCKETS_MS = [
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
];
