import { type CompiledFlow, walkCompiledSteps } from '../model';

/**
 * Every task queue a flow needs a worker on: the workflow's own queue, each activity step's and
 * compensation's queue, and the same for its child flows (which run on the parent's queue).
 */
export function flowTaskQueues(flow: CompiledFlow, workflowQueue: string): string[] {
  const queues = new Set<string>([workflowQueue]);
  const seen = new Set<CompiledFlow>();
  const visit = (f: CompiledFlow) => {
    if (seen.has(f)) return;
    seen.add(f);
    walkCompiledSteps(f, (step) => {
      if (step.kind !== 'activity') return;
      if (step.options.taskQueue) queues.add(step.options.taskQueue);
      if (step.compensate?.options.taskQueue) queues.add(step.compensate.options.taskQueue);
    });
    for (const child of Object.values(f.flows)) visit(child);
  };
  visit(flow);
  return [...queues];
}
