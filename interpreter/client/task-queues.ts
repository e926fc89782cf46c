import { randomUUID } from 'node:crypto';
import { type CompiledFlow, walkCompiledSteps, walkFlowTreeSteps } from '../model';

/**
 * Every task queue a flow needs a Weft worker on: the workflow's own queue, each activity step's
 * and compensation's queue, and the same for its child flows (which run on the parent's queue).
 * External activities' queues are left out: workers of other SDKs poll them, and a Weft worker
 * there would take their tasks and fail them as unregistered.
 */
export function flowTaskQueues(flow: CompiledFlow, workflowQueue: string): string[] {
  const queues = new Set<string>([workflowQueue]);
  walkFlowTreeSteps(flow, (step) => {
    if (step.kind !== 'activity') return;
    if (step.options.taskQueue && !step.external) queues.add(step.options.taskQueue);
    const c = step.compensate;
    if (c?.options.taskQueue && !c.external) queues.add(c.options.taskQueue);
  });
  return [...queues];
}

/** A task queue no other process polls: `weft-run-<12 hex>`. */
export function privateTaskQueue(prefix = 'weft-run'): string {
  return `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/**
 * A copy of `flow` whose every named task queue Q (steps, compensations, child flows) becomes
 * `<privateQueue>/Q`, for a run whose worker is the only one meant to serve it (`weft run`):
 * a worker elsewhere that polls Q (a `weft dev` on the default queue, a shared `gpu` worker
 * without this run's plugins) can then never take its tasks. Steps without a queue already run
 * on the workflow's queue; external activities keep their queue, where workers of other SDKs
 * poll. The definition hash is kept: the flow is the same, only its routing
 * changed. Returns the copy and the mapping (original queue -> private queue).
 */
export function isolateTaskQueues(
  flow: CompiledFlow,
  privateQueue: string,
): { flow: CompiledFlow; queues: Map<string, string> } {
  const copy = structuredClone(flow);
  const queues = new Map<string, string>();
  const remap = (queue: string): string => {
    let mapped = queues.get(queue);
    if (mapped === undefined) {
      mapped = `${privateQueue}/${queue}`;
      queues.set(queue, mapped);
    }
    return mapped;
  };
  const seen = new Set<CompiledFlow>();
  // The compiler may share one options object between steps: remap each object once.
  const done = new WeakSet<object>();
  const route = (options: { taskQueue?: string } | undefined) => {
    if (!options?.taskQueue || done.has(options)) return;
    done.add(options);
    options.taskQueue = remap(options.taskQueue);
  };
  const visit = (f: CompiledFlow) => {
    if (seen.has(f)) return;
    seen.add(f);
    walkCompiledSteps(f, (step) => {
      if (step.kind !== 'activity') return;
      // External activities stay where their workers poll.
      if (!step.external) route(step.options);
      if (!step.compensate?.external) route(step.compensate?.options);
    });
    for (const child of Object.values(f.flows)) visit(child);
  };
  visit(copy);
  return { flow: copy, queues };
}
