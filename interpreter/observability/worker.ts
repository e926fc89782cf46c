import { fileURLToPath } from 'node:url';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { StepDurationInterceptor } from './activity-interceptors';

/** The sandbox module with the flow counters, for WorkerOptions.interceptors.workflowModules. */
export const WORKFLOW_INTERCEPTORS_MODULE = fileURLToPath(
  new URL('./workflow-interceptors.ts', import.meta.url),
);

/**
 * Interceptors every Weft worker should install: flow counters (workflow side), the step-duration
 * histogram (activity side). Merge them into `WorkerOptions.interceptors`.
 */
export function weftWorkerInterceptors(): {
  activity: ActivityInterceptorsFactory[];
  workflowModules: string[];
} {
  return {
    activity: [(ctx) => ({ inbound: new StepDurationInterceptor(ctx) })],
    workflowModules: [WORKFLOW_INTERCEPTORS_MODULE],
  };
}
