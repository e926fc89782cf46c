import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { queryFlow } from '../../client';
import { type FlowProgress, PROGRESS_QUERY } from '../../model/progress';
import { isFinalRunStatus, type RunStreamEvent } from '../../model/wire';
import { Channel } from './channel';
import { HistoryMapper } from './history-mapper';
import { ProgressEvents } from './progress-events';

/** The progress query needs a live worker; a stream never waits long for a dead one. */
const PROGRESS_QUERY_MS = 2000;

/** Where a client stopped: the run and the history event id of the last event it received. */
export interface ResumePoint {
  runId: string;
  eventId: number;
}

/** Stream event ids are `<runId>:<historyEventId>`, plus `.<n>` for live attempt events. */
export function parseEventId(value: string | undefined): ResumePoint | undefined {
  if (value === undefined) return undefined;
  const m = /^([A-Za-z0-9-]{1,64}):(\d{1,12})(?:\.\d{1,12})?$/.exec(value.trim());
  if (!m) return undefined;
  return { runId: m[1]!, eventId: Number(m[2]) };
}

export interface RunStreamOptions {
  client: Client;
  workflowId: string;
  /** The run to follow; its continue-as-new successors are followed too. */
  runId: string;
  resume?: ResumePoint;
  /** Aborts the long polls when the HTTP client goes away. */
  signal: AbortSignal;
  /** How often describe() is polled for live attempts while an activity is open. */
  pollMs: number;
  /** Counts streams whose polls are still running (shown by /api/health). */
  gauge?: { open: number };
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err as { name?: string }).name === 'AbortError';
}

/**
 * The events of one flow run, from its first history event to its final run event. History is
 * read with long polls (waitNewEvent), so a late client first gets the state so far and then
 * live events, with nothing in between lost; live attempt state comes from describe().
 */
export function runEvents(opts: RunStreamOptions): AsyncIterable<RunStreamEvent> {
  const { client, workflowId, signal } = opts;
  const namespace = client.options.namespace;
  const converter = client.options.loadedDataConverter.payloadConverter;
  const out = new Channel<RunStreamEvent>();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort);
  let mapper = new HistoryMapper(converter, workflowId, opts.runId);
  let fromProgress = new ProgressEvents();
  /** The history event id the progress query last answered for. */
  let progressAt = 0;
  /** Whether the history read has reached the run's present (live queries wait for that). */
  let caughtUp = false;
  let seq = 0;

  // One short-lived signal per RPC, so listeners never pile up on the stream's own signal.
  const rpc = async <T>(fn: () => Promise<T>): Promise<T> => {
    const call = new AbortController();
    const cancel = () => call.abort();
    stop.signal.addEventListener('abort', cancel, { once: true });
    try {
      return await client.connection.withAbortSignal(call.signal, fn);
    } finally {
      stop.signal.removeEventListener('abort', cancel);
    }
  };

  /**
   * Step events of the kinds the history does not record, from the `weft.progress` query, sent
   * with ids just under `eventId` (so a client resuming from one still gets that history event).
   * Without a worker to answer, the stream carries on with history events only.
   */
  const pushProgress = async (current: HistoryMapper, eventId: number): Promise<void> => {
    progressAt = current.lastEventId;
    const progress = await rpc(() =>
      client.connection.withDeadline(Date.now() + PROGRESS_QUERY_MS, () =>
        queryFlow(client, workflowId, PROGRESS_QUERY, [], current.runId),
      ),
    ).catch(() => undefined);
    if (progress === undefined || current !== mapper || out.closed) return;
    for (const data of fromProgress.apply(progress as FlowProgress))
      out.push({ id: `${current.runId}:${eventId}.${++seq}`, event: 'step', data });
  };

  const followHistory = async (): Promise<void> => {
    let runId = opts.runId;
    let skip = opts.resume?.runId === runId ? opts.resume.eventId : 0;
    let nextPageToken: Uint8Array | undefined;
    while (!stop.signal.aborted) {
      const res = await rpc(() =>
        client.workflowService.getWorkflowExecutionHistory({
          namespace,
          execution: { workflowId, runId },
          nextPageToken,
          waitNewEvent: true,
          maximumPageSize: 1000,
        }),
      );
      for (const event of res.history?.events ?? []) {
        // Should the server ever restart a page from the top, events already seen stay unsent.
        if (Number(String(event.eventId ?? 0)) <= mapper.lastEventId) continue;
        const mapped = mapper.apply(event);
        if (!mapped) continue;
        if (mapped.event === 'continued') {
          runId = mapped.runId;
          mapper = new HistoryMapper(converter, workflowId, runId);
          fromProgress = new ProgressEvents();
          progressAt = 0;
          skip = opts.resume?.runId === runId ? opts.resume.eventId : 0;
          nextPageToken = undefined;
          break;
        }
        if (mapper.lastEventId <= skip) continue;
        const id = `${mapper.runId}:${mapper.lastEventId}`;
        if (mapped.event === 'run') {
          // The last word on every step before the run's own final event.
          if (isFinalRunStatus(mapped.data.status))
            await pushProgress(mapper, mapper.lastEventId - 1);
          out.push({ id, event: 'run', data: mapped.data });
          if (isFinalRunStatus(mapped.data.status)) {
            out.close();
            return;
          }
        } else out.push({ id, event: 'step', data: mapped.data });
      }
      if (mapper.runId !== runId) continue;
      const token = res.nextPageToken;
      nextPageToken = token && token.length > 0 ? token : undefined;
      if (nextPageToken === undefined) caughtUp = true;
      if (nextPageToken === undefined && mapper.closed) {
        out.close();
        return;
      }
    }
  };

  const pollAttempts = async (): Promise<void> => {
    while (!stop.signal.aborted && !out.closed) {
      await delay(opts.pollMs, undefined, { signal: stop.signal }).catch(() => undefined);
      const current = mapper;
      if (stop.signal.aborted || out.closed || current.closed) continue;
      // A query only when the history moved: control steps move only in workflow tasks.
      if (caughtUp && current.lastEventId > progressAt)
        await pushProgress(current, current.lastEventId);
      if (stop.signal.aborted || out.closed || current.closed || !current.needsPolling()) continue;
      const res = await rpc(() =>
        client.workflowService.describeWorkflowExecution({
          namespace,
          execution: { workflowId, runId: current.runId },
        }),
      );
      if (current !== mapper || out.closed) continue;
      for (const data of current.applyPending(res.pendingActivities ?? [])) {
        out.push({ id: `${current.runId}:${current.lastEventId}.${++seq}`, event: 'step', data });
      }
      const stuck = current.applyPendingTask(res.pendingWorkflowTask);
      if (stuck)
        out.push({
          id: `${current.runId}:${current.lastEventId}.${++seq}`,
          event: 'run',
          data: stuck,
        });
    }
  };

  const fail = (err: unknown) => {
    if (isAbort(err, stop.signal)) out.close();
    else out.close(err);
    stop.abort();
  };
  // Counted until both loops have really stopped, so a leak of polls shows in /api/health.
  if (opts.gauge) opts.gauge.open++;
  void Promise.all([followHistory().catch(fail), pollAttempts().catch(fail)]).finally(() => {
    if (opts.gauge) opts.gauge.open--;
  });

  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield* out;
      } finally {
        stop.abort();
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}
