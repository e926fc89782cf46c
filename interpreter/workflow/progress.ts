import { compiledChildLists } from '../model/ids';
import type { FlowProgress, FlowStatus, StepProgress, StepStatus } from '../model/progress';
import { summarizeValue } from '../model/progress';
import type { CompiledStep } from '../model/types';
import type { FlowError } from '../model/wire';

/**
 * Per-step progress kept in workflow memory and served by the `weft.progress` query. It writes
 * nothing to the history, so it costs no events (DESIGN.md, "History cost").
 */
export class ProgressTracker {
  status: FlowStatus = 'running';
  error: FlowError | undefined;
  private readonly steps: StepProgress[] = [];
  private readonly byId = new Map<string, StepProgress>();
  private readonly current = new Set<string>();
  /** Waits whose timeout passed: they end `timedOut`, whatever their onTimeout steps did. */
  private readonly timedOutIds = new Set<string>();

  constructor(
    private readonly flow: string,
    private readonly hash: string,
    private readonly continuedAsNew: number,
  ) {}

  private entry(
    id: string,
    step: CompiledStep,
    iteration: readonly number[],
    status: StepStatus,
  ): StepProgress {
    let entry = this.byId.get(id);
    if (!entry) {
      entry = { id, stepId: step.id, kind: step.kind, status };
      if (step.name !== undefined) entry.name = step.name;
      if (iteration.length > 0) entry.iteration = [...iteration];
      this.byId.set(id, entry);
      this.steps.push(entry);
    } else {
      // A step that runs again under the same id (a signal handler's steps) starts afresh.
      entry.status = status;
      delete entry.endedAt;
      delete entry.error;
    }
    return entry;
  }

  start(
    id: string,
    step: CompiledStep,
    iteration: readonly number[],
    extra: { compensates?: string } = {},
  ): void {
    const entry = this.entry(id, step, iteration, 'running');
    entry.startedAt = new Date().toISOString();
    if (extra.compensates !== undefined) entry.compensates = extra.compensates;
    this.current.add(id);
  }

  /** An `if` or `switch` chose a branch; the steps of the others are skipped. */
  branch(
    id: string,
    branch: string,
    notTaken: readonly CompiledStep[][],
    iteration: readonly number[],
  ): void {
    const entry = this.byId.get(id);
    if (entry) entry.branch = branch;
    const suffix = iteration.length === 0 ? '' : `#${iteration.join('.')}`;
    const skipAll = (steps: readonly CompiledStep[]) => {
      for (const step of steps) {
        this.skip(`${step.id}${suffix}`, step, iteration);
        for (const list of compiledChildLists(step)) skipAll(list);
      }
    };
    for (const list of notTaken) skipAll(list);
  }

  /** A `wait` timed out: it ends `timedOut` (see timedOutIds). */
  timedOut(id: string): void {
    this.timedOutIds.add(id);
  }

  skip(id: string, step: CompiledStep, iteration: readonly number[]): void {
    this.entry(id, step, iteration, 'skipped').endedAt = new Date().toISOString();
  }

  end(id: string, status: StepStatus, error?: FlowError, attempts?: number): void {
    const entry = this.byId.get(id);
    this.current.delete(id);
    if (!entry) return;
    if (this.timedOutIds.delete(id) && (status === 'completed' || status === 'failed'))
      status = 'timedOut';
    entry.status = status;
    entry.endedAt = new Date().toISOString();
    if (error) entry.error = error;
    if (attempts !== undefined) entry.attempts = attempts;
  }

  snapshot(vars: Record<string, unknown>): FlowProgress {
    const summary: FlowProgress['vars'] = {};
    for (const [key, value] of Object.entries(vars)) summary[key] = summarizeValue(value);
    const progress: FlowProgress = {
      flow: this.flow,
      hash: this.hash,
      status: this.status,
      current: [...this.current],
      steps: this.steps.map((s) => ({ ...s })),
      vars: summary,
      continuedAsNew: this.continuedAsNew,
    };
    if (this.error) progress.error = this.error;
    return progress;
  }
}
