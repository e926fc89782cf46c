import type { Client } from '@temporalio/client';
// CommonJS: Node's ESM loader sees only the default export (see history.ts).
import proto from '@temporalio/proto';
import {
  type ActivityManifest,
  type ActivityManifestEntry,
  type CompiledFlow,
  walkFlowTreeSteps,
} from '../model';

/** The code of a task queue that flows schedule external activities on and no worker polls. */
export const NO_POLLER = 'WEFT_EXTERNAL_NO_POLLER';

/** One external activity a set of flows calls, and where. */
export interface ExternalNeed {
  name: string;
  description?: string;
  /** Positional argument names; absent: the input object is the one argument. */
  args?: string[];
  input?: ActivityManifestEntry['input'];
  output?: ActivityManifestEntry['output'];
  /** `<flow file>#<step id>` of every step and compensation that calls it. */
  calledBy: string[];
}

/** What other workers must provide on one task queue. */
export interface ExternalQueue {
  taskQueue: string;
  activities: ExternalNeed[];
}

/**
 * The external activities that compiled flows call, grouped by the task queue each call is
 * scheduled on (a step may move one to another queue), queues and names sorted.
 */
export function externalNeeds(
  flows: { file: string; flow: CompiledFlow }[],
  manifest: ActivityManifest | undefined,
): ExternalQueue[] {
  const entries = new Map((manifest?.activities ?? []).map((a) => [a.name, a]));
  const queues = new Map<string, Map<string, ExternalNeed>>();
  const note = (
    call: { activity: string; external?: true; args?: string[]; options: { taskQueue?: string } },
    where: string,
  ) => {
    if (!call.external) return;
    const queue = call.options.taskQueue ?? '';
    let byName = queues.get(queue);
    if (!byName) {
      byName = new Map();
      queues.set(queue, byName);
    }
    let need = byName.get(call.activity);
    if (!need) {
      const entry = entries.get(call.activity);
      const fresh: Omit<ExternalNeed, 'calledBy'> = { name: call.activity };
      if (entry?.description !== undefined) fresh.description = entry.description;
      if (call.args !== undefined) fresh.args = call.args;
      if (entry?.input !== undefined) fresh.input = entry.input;
      if (entry?.output !== undefined) fresh.output = entry.output;
      need = { ...fresh, calledBy: [] };
      byName.set(call.activity, need);
    }
    if (!need.calledBy.includes(where)) need.calledBy.push(where);
  };
  for (const { file, flow } of flows) {
    walkFlowTreeSteps(flow, (step) => {
      if (step.kind !== 'activity') return;
      note(step, `${file}#${step.id}`);
      if (step.compensate) note(step.compensate, `${file}#${step.id}:compensate`);
    });
  }
  return [...queues.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([taskQueue, byName]) => ({
      taskQueue,
      activities: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)),
    }));
}

export interface QueuePollers {
  taskQueue: string;
  kind: 'activity' | 'workflow';
  /** Identities of the workers that polled it recently (the server keeps about a minute). */
  pollers: { identity: string; lastAccess?: Date }[];
}

/**
 * Who polls a task queue, as the server saw it recently (DescribeTaskQueue). Temporal keeps the
 * pollers of each queue and kind apart: an activity worker never shows under `workflow`.
 */
export async function describePollers(
  client: Client,
  taskQueue: string,
  kind: 'activity' | 'workflow',
): Promise<QueuePollers> {
  const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;
  const response = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType:
      kind === 'activity'
        ? TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY
        : TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return {
    taskQueue,
    kind,
    pollers: (response.pollers ?? []).map((p) => {
      const seconds = p.lastAccessTime?.seconds;
      const out: { identity: string; lastAccess?: Date } = { identity: p.identity ?? '' };
      if (seconds !== undefined && seconds !== null) {
        out.lastAccess = new Date(
          Number(seconds) * 1000 + Math.floor((p.lastAccessTime?.nanos ?? 0) / 1e6),
        );
      }
      return out;
    }),
  };
}
