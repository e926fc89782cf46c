/**
 * What one run did, per step instance, from its events: the rows of the timeline and the
 * detail of a clicked step. Pure over the events up to the scrubber.
 */
import type { NodeStatus, RunEvent } from '../store';
import type { ShownError } from '../store/run';

export interface InstanceSpan {
  instanceId: string;
  stepId: string;
  name: string;
  kind?: string;
  status: NodeStatus;
  attempt: number;
  /** ISO times; `end` absent while it runs. */
  start?: string;
  end?: string;
  input?: unknown;
  output?: unknown;
  error?: ShownError;
  branch?: string;
  /** A compensation: the instance it undoes. */
  compensates?: string;
}

const NODE: Record<string, NodeStatus | undefined> = {
  scheduled: 'running',
  started: 'running',
  retrying: 'retrying',
  completed: 'completed',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
  timedOut: 'timedOut',
};

/** One span per step instance, in the order they first appeared. */
export function spansAt(events: readonly RunEvent[], count: number): InstanceSpan[] {
  const byId = new Map<string, InstanceSpan>();
  for (const e of events.slice(0, count)) {
    if (e.event !== 'step') continue;
    const d = e.data;
    const status = NODE[d.status];
    if (!status) continue;
    const id = d.instanceId ?? d.stepId;
    let span = byId.get(id);
    if (!span) {
      span = { instanceId: id, stepId: d.stepId, name: d.name ?? d.stepId, status, attempt: 1 };
      if (d.time !== undefined) span.start = d.time;
      byId.set(id, span);
    }
    span.status = status;
    span.attempt = d.attempt ?? span.attempt;
    if (d.kind !== undefined) span.kind = d.kind;
    if (d.compensates !== undefined) span.compensates = d.compensates;
    if (d.input !== undefined) span.input = d.input;
    if (d.output !== undefined) span.output = d.output;
    if (d.error !== undefined) span.error = d.error;
    if (d.branch !== undefined) span.branch = d.branch;
    const ended = status !== 'running' && status !== 'retrying';
    if (ended && d.time !== undefined) span.end = d.time;
    else if (!ended) delete span.end;
  }
  return [...byId.values()];
}

/** The instances of one step and of its compensation. */
export function stepSpans(spans: readonly InstanceSpan[], stepId: string): InstanceSpan[] {
  return spans.filter((s) => s.stepId === stepId || s.stepId === `${stepId}:compensate`);
}

export function durationMs(span: InstanceSpan): number | undefined {
  if (span.start === undefined || span.end === undefined) return undefined;
  return Date.parse(span.end) - Date.parse(span.start);
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The scrubber's label for position `count`: the last event's name and time. */
export function eventLabel(events: readonly RunEvent[], count: number): string {
  const e = events[count - 1];
  if (!e) return 'start';
  const time = e.data.time ? new Date(e.data.time).toLocaleTimeString() : '';
  const what =
    e.event === 'run'
      ? `run ${e.data.status}`
      : `${e.data.instanceId ?? e.data.stepId} ${e.data.status}`;
  return `${what}${time ? ` at ${time}` : ''}`;
}
