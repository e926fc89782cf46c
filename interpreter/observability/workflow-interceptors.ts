/**
 * Workflow interceptors that count flows started, completed, failed and cancelled per flow name.
 * This file is bundled into Temporal's deterministic sandbox: it imports only
 * @temporalio/workflow and ./names (plain data). The SDK's workflow metric meter emits nothing
 * during replay, so the counts stay right when histories replay.
 */
import {
  ContinueAsNew,
  isCancellation,
  metricMeter,
  type Next,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  workflowInfo,
} from '@temporalio/workflow';
import { METRICS } from './names';

function failureType(err: unknown): string {
  const e = err as { type?: unknown; name?: unknown };
  if (typeof e.type === 'string') return e.type;
  return typeof e.name === 'string' ? e.name : 'Error';
}

class FlowMetricsInterceptor implements WorkflowInboundCallsInterceptor {
  async execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const info = workflowInfo();
    const tags = { flow: info.workflowType };
    if (info.continuedFromExecutionRunId === undefined)
      metricMeter.createCounter(METRICS.flowsStarted, 'flows').add(1, tags);
    try {
      const result = await next(input);
      metricMeter.createCounter(METRICS.flowsCompleted, 'flows').add(1, tags);
      return result;
    } catch (err) {
      if (!(err instanceof ContinueAsNew)) {
        if (isCancellation(err))
          metricMeter.createCounter(METRICS.flowsCancelled, 'flows').add(1, tags);
        else
          metricMeter
            .createCounter(METRICS.flowsFailed, 'flows')
            .add(1, { ...tags, error: failureType((err as { cause?: unknown }).cause ?? err) });
      }
      throw err;
    }
  }
}

export const interceptors = (): WorkflowInterceptors => ({
  inbound: [new FlowMetricsInterceptor()],
});
