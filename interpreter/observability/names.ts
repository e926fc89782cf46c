/**
 * Weft's own metrics. They go through the Temporal Runtime's metric meter, so they appear on the
 * same Prometheus endpoint as the SDK's worker metrics (`--metrics host:port`, route /metrics).
 * Workflow-side metrics are never emitted during replay (the SDK drops them), so a replayed
 * history does not count a flow twice.
 *
 * Exported names (Prometheus adds `_total` to counters and the unit to histograms):
 * `weft_flows_started_total`, `weft_flows_completed_total`, `weft_flows_failed_total`,
 * `weft_flows_cancelled_total` (label `flow`; failed also `error`),
 * `weft_step_duration_seconds` (labels `activity`, `outcome`) and
 * `weft_activities_abandoned_total` (label `activity`). Every series also carries the
 * SDK's `namespace` and `taskQueue` labels.
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
  /** Histogram (seconds), tags `activity`, `outcome` (completed|failed): one per attempt. */
  stepDuration: 'weft_step_duration',
  /**
   * Counter, tag `activity`: attempts whose plugin was still running a second after its signal
   * was aborted (timeout, cancellation, shutdown); the worker freed their slots regardless.
   */
  activitiesAbandoned: 'weft_activities_abandoned',
} as const;

/** Bucket bounds (seconds) for the step-duration histogram: 5 ms to 10 min. */
export const STEP_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600,
];
