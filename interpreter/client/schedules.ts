import {
  type Client,
  type ScheduleDescription,
  ScheduleNotFoundError,
  type ScheduleOptions,
  type ScheduleOverlapPolicy,
  type ScheduleSummary,
} from '@temporalio/client';
import { parseDuration } from '../dsl/duration';
import { contentHash } from '../dsl/hash';
import type { CompiledFlow, FlowSchedule, ScheduleView } from '../model';

export type { ScheduleView };

import { ClientError } from './errors';
import { flowStartOptions } from './start';

/**
 * Temporal Schedules declared by flows (`schedules:`). Weft owns the schedules whose id starts
 * with `weft:<flow>:`; `applySchedules` makes them match the flow files, and never touches any
 * other schedule on the namespace.
 */

export type { FlowSchedule };

export const SCHEDULE_ID_PREFIX = 'weft:';

export function scheduleIdOf(flow: string, id: string): string {
  return `${SCHEDULE_ID_PREFIX}${flow}:${id}`;
}

/** `weft:<flow>:<id>` from either that or `<flow>:<id>`, as the CLI takes it. */
export function ownedScheduleId(id: string): string {
  return id.startsWith(SCHEDULE_ID_PREFIX) ? id : `${SCHEDULE_ID_PREFIX}${id}`;
}

const OVERLAP: Record<NonNullable<FlowSchedule['overlap']>, ScheduleOverlapPolicy> = {
  skip: 'SKIP',
  bufferOne: 'BUFFER_ONE',
  bufferAll: 'BUFFER_ALL',
  cancelOther: 'CANCEL_OTHER',
  terminateOther: 'TERMINATE_OTHER',
  allowAll: 'ALLOW_ALL',
};

/** The `schedules:` of a parsed flow document (none when it declares none). */
export function schedulesOf(doc: unknown): FlowSchedule[] {
  if (typeof doc !== 'object' || doc === null) return [];
  const list = (doc as { schedules?: unknown }).schedules;
  return Array.isArray(list) ? (list as FlowSchedule[]) : [];
}

const ms = (d: string | number | undefined) => (d === undefined ? undefined : parseDuration(d));

export interface ApplyScheduleOptions {
  /** The queue scheduled runs start on (default `weft`), as `weft start --task-queue`. */
  taskQueue?: string;
}

/** A schedule's options, and the hash that says whether the server already has them. */
export async function scheduleOptions(
  client: Client,
  flow: CompiledFlow,
  schedule: FlowSchedule,
  options: ApplyScheduleOptions = {},
): Promise<{ options: ScheduleOptions; hash: string }> {
  const scheduleId = scheduleIdOf(flow.flow, schedule.id);
  let start: Awaited<ReturnType<typeof flowStartOptions>>;
  try {
    start = await flowStartOptions(client, flow, schedule.input ?? {}, {
      taskQueue: options.taskQueue,
      workflowId: `${flow.flow}-${schedule.id}`,
    });
  } catch (err) {
    if (err instanceof ClientError) {
      throw new ClientError(
        'WEFT_SCHEDULE_INPUT',
        `schedule "${schedule.id}": ${err.message}`,
        err.details,
      );
    }
    throw err;
  }
  const hash = contentHash({ flow: flow.hash, schedule, taskQueue: start.taskQueue });
  const crons = typeof schedule.cron === 'string' ? [schedule.cron] : (schedule.cron ?? []);
  const every = ms(schedule.every);
  const jitter = ms(schedule.jitter);
  const catchupWindow = ms(schedule.catchupWindow);
  const scheduled: ScheduleOptions = {
    scheduleId,
    spec: {
      ...(crons.length > 0 ? { cronExpressions: crons } : {}),
      ...(every === undefined ? {} : { intervals: [{ every, offset: ms(schedule.offset) ?? 0 }] }),
      ...(schedule.timezone === undefined ? {} : { timezone: schedule.timezone }),
      ...(jitter === undefined ? {} : { jitter }),
    },
    action: {
      type: 'startWorkflow',
      workflowType: flow.flow,
      workflowId: start.workflowId,
      taskQueue: start.taskQueue,
      args: start.args as unknown[],
      // The hash rides on the action's memo: a schedule's own memo cannot be updated.
      memo: { ...start.memo, weftSchedule: scheduleId, weftScheduleHash: hash },
      ...(start.typedSearchAttributes
        ? { typedSearchAttributes: start.typedSearchAttributes }
        : {}),
      ...(start.searchAttributes ? { searchAttributes: start.searchAttributes } : {}),
      workflowExecutionTimeout: start.workflowExecutionTimeout,
      workflowRunTimeout: start.workflowRunTimeout,
      workflowTaskTimeout: start.workflowTaskTimeout,
      retry: start.retry,
      staticSummary: start.staticSummary,
    },
    policies: {
      overlap: OVERLAP[schedule.overlap ?? 'skip'],
      ...(catchupWindow === undefined ? {} : { catchupWindow }),
      pauseOnFailure: schedule.pauseOnFailure ?? false,
    },
    state: {
      paused: schedule.paused ?? false,
      ...(schedule.note === undefined ? {} : { note: schedule.note }),
    },
    memo: { weftFlow: flow.flow, weftScheduleId: schedule.id },
  };
  return { options: scheduled, hash };
}

export interface AppliedSchedule {
  scheduleId: string;
  flow: string;
  change: 'created' | 'updated' | 'unchanged' | 'deleted';
}

async function describeOrUndefined(
  client: Client,
  scheduleId: string,
): Promise<ScheduleDescription | undefined> {
  try {
    return await client.schedule.getHandle(scheduleId).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}

/** Every schedule Weft owns on the namespace (of one flow when `flow` is given). */
export async function listOwnedSchedules(
  client: Client,
  flow?: string,
): Promise<ScheduleSummary[]> {
  const prefix = flow === undefined ? SCHEDULE_ID_PREFIX : scheduleIdOf(flow, '');
  const out: ScheduleSummary[] = [];
  for await (const s of client.schedule.list()) {
    if (s.scheduleId.startsWith(prefix)) out.push(s);
  }
  return out.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/**
 * Makes the server's `weft:<flow>:*` schedules match the flow's `schedules:`: creates the new,
 * updates the changed (the definition, the input or the flow itself), deletes the ones the flow
 * no longer declares, and leaves the rest alone, so applying twice changes nothing. An unchanged
 * schedule keeps its state: a `weft schedule pause` survives a re-apply.
 *
 * Deletion finds schedules by listing, which the server answers from its visibility store: a
 * schedule created a moment ago may not be listed yet.
 */
export async function applySchedules(
  client: Client,
  flow: CompiledFlow,
  schedules: readonly FlowSchedule[],
  options: ApplyScheduleOptions = {},
): Promise<AppliedSchedule[]> {
  // Every schedule is built (and its input checked) before anything changes on the server.
  const desired = await Promise.all(
    schedules.map((s) => scheduleOptions(client, flow, s, options)),
  );
  const out: AppliedSchedule[] = [];
  for (const { options: o, hash } of desired) {
    const known = await describeOrUndefined(client, o.scheduleId);
    const entry = { scheduleId: o.scheduleId, flow: flow.flow };
    if (!known) {
      await client.schedule.create(o);
      out.push({ ...entry, change: 'created' });
    } else if (known.action.memo?.weftScheduleHash === hash) {
      out.push({ ...entry, change: 'unchanged' });
    } else {
      const { scheduleId: _id, memo: _memo, ...update } = o;
      await client.schedule.getHandle(o.scheduleId).update(() => ({
        ...update,
        state: { paused: o.state?.paused ?? false, note: o.state?.note },
      }));
      out.push({ ...entry, change: 'updated' });
    }
  }
  const wanted = new Set(desired.map((d) => d.options.scheduleId));
  for (const s of await listOwnedSchedules(client, flow.flow)) {
    if (wanted.has(s.scheduleId)) continue;
    try {
      await client.schedule.getHandle(s.scheduleId).delete();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
    out.push({ scheduleId: s.scheduleId, flow: flow.flow, change: 'deleted' });
  }
  return out;
}

export function scheduleView(s: ScheduleSummary): ScheduleView {
  const memo = s.memo ?? {};
  return {
    scheduleId: s.scheduleId,
    ...(typeof memo.weftFlow === 'string' ? { flow: memo.weftFlow } : {}),
    ...(typeof memo.weftScheduleId === 'string' ? { id: memo.weftScheduleId } : {}),
    paused: s.state.paused,
    ...(s.state.note ? { note: s.state.note } : {}),
    intervals: (s.spec?.intervals ?? []).map((i) => ({
      every: Number(i.every),
      offset: Number(i.offset ?? 0),
    })),
    ...(s.spec?.timezone ? { timezone: s.spec.timezone } : {}),
    nextRuns: s.info.nextActionTimes.map((d) => d.toISOString()),
    recentRuns: s.info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(),
      takenAt: a.takenAt.toISOString(),
      workflowId: a.action.workflow.workflowId,
    })),
  };
}

/** The handle of a schedule Weft owns; WEFT_SCHEDULE_NOT_FOUND when the server has none. */
export async function ownedSchedule(client: Client, id: string) {
  const scheduleId = ownedScheduleId(id);
  const handle = client.schedule.getHandle(scheduleId);
  if (!(await describeOrUndefined(client, scheduleId))) {
    throw new ClientError('WEFT_SCHEDULE_NOT_FOUND', `no schedule ${scheduleId}`);
  }
  return handle;
}
