import { fileURLToPath } from 'node:url';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { StepDurationInterceptor } from './activity-interceptors';
import { tracingActivityInterceptors } from './tracing';

/** The sandbox module with the flow counters, for WorkerOptions.interceptors.workflowModules. */
export const WORKFLOW_INTERCEPTORS_MODULE = fileURLToPath(
  new URL('./workflow-interceptors.ts', import.meta.url),
);

/**
 * Interceptors every Weft worker should install: flow counters (workflow side), the step-duration
 * histogram and, when tracing is on, OpenTelemetry spans (activity side). Merge them into
 * `WorkerOptions.interceptors`; call after installTracing().
 */
export function weftWorkerInterceptors(): {
  activity: ActivityInterceptorsFactory[];
  workflowModules: string[];
} {
  return {
    activity: [
      (ctx) => ({ inbound: new StepDurationInterceptor(ctx) }),
      // Spans per activity attempt, only when installTracing() found an OTLP endpoint.
      ...tracingActivityInterceptors(),
    ],
    workflowModules: [WORKFLOW_INTERCEPTORS_MODULE],
  };
}
