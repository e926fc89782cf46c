import type { FlowProgress, StepProgress } from '../../model/progress';
import type { StepEventData, StepEventStatus } from '../../model/wire';

/**
 * Kinds whose every move is in the history (HistoryMapper sends them): of these, the progress
 * query adds only what the history cannot say, that the step was skipped.
 */
const IN_HISTORY = new Set<string>(['activity', 'flow']);

const END: Partial<Record<StepProgress['status'], StepEventStatus>> = {
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  timedOut: 'timedOut',
};

/**
 * Turns successive `weft.progress` snapshots of one run into the step events the history cannot
 * give: control steps (set, log, if, switch, parallel, try, wait, sleep, …), skipped steps, the
 * branch an `if` took and timed-out waits. Pure: feed it snapshots, it returns only what is new,
 * ordered by time.
 */
export class ProgressEvents {
  /** `instanceId status` pairs already sent. */
  private readonly sent = new Set<string>();

  apply(progress: FlowProgress): StepEventData[] {
    const out: StepEventData[] = [];
    for (const p of progress.steps) {
      const history = IN_HISTORY.has(p.kind);
      if (p.status === 'skipped') {
        this.push(out, p, 'skipped', p.endedAt);
        continue;
      }
      if (history) continue;
      if (p.status === 'pending') continue;
      this.push(out, p, 'started', p.startedAt);
      const end = END[p.status];
      if (end !== undefined) this.push(out, p, end, p.endedAt);
    }
    // Stable: a step's start stays before its end when both have the same workflow time.
    return out.sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  }

  private push(
    out: StepEventData[],
    p: StepProgress,
    status: StepEventStatus,
    time: string | undefined,
  ): void {
    const key = `${p.id} ${status}`;
    if (this.sent.has(key)) return;
    this.sent.add(key);
    const ended = status !== 'started';
    out.push({
      stepId: p.stepId,
      instanceId: p.id,
      name: p.name ?? p.stepId,
      kind: p.kind,
      status,
      attempt: p.attempts ?? 1,
      ...(ended && p.error !== undefined ? { error: p.error } : {}),
      ...(ended && p.branch !== undefined ? { branch: p.branch } : {}),
      ...(p.compensates === undefined ? {} : { compensates: p.compensates }),
      ...(time === undefined ? {} : { time }),
    });
  }
}
