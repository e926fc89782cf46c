import { workflowInfo } from '@temporalio/workflow';
import { jsonBytes } from '../model/limits';
import type {
  CompiledActivityOptions,
  CompiledFlow,
  CompiledStep,
  FlowRunInput,
} from '../model/types';
import type { ExpressionRoot, WorkflowFacts } from './expressions';
import { type CarriedState, CarryGuard, HistoryGuard } from './limits';
import { setPath } from './paths';
import { ProgressTracker } from './progress';

/** A compensation registered when its step succeeded; its input is resolved at that moment. */
export interface PendingCompensation {
  /** Instance id of the step it compensates. */
  step: string;
  activity: string;
  input: unknown;
  options: CompiledActivityOptions;
  name?: string;
  /** The activity's positional convention (an external activity's declared `args:`). */
  args?: string[];
}

/** Where a continued-as-new run picks up: carried in FlowRunInput.resume. */
export interface ResumeState {
  /** Index of the top-level step to run next. */
  step: number;
  /** For a top-level `while` or `forEach`: the iteration to run next (its count so far). */
  iteration?: number;
  /** For a top-level `forEach`: its items (evaluated once, in the first run) and results so far. */
  loop?: LoopState;
  vars: Record<string, unknown>;
  compensations: PendingCompensation[];
  continuedAsNew: number;
  /** Signals received but not yet consumed by a `wait`. */
  signals?: Record<string, unknown[]>;
}

/** What a top-level `forEach` carries across continue-as-new. */
export interface LoopState {
  items: unknown[];
  results: unknown[];
}

/** Extension points for tests that prove replay safety (see test/replay). */
export interface InterpreterHooks {
  beforeStep?(step: CompiledStep): Promise<void>;
}

/** Lexical context of a step: loop and catch bindings, the signal/update payload, loop indexes. */
export interface Frame {
  readonly bindings: Readonly<Record<string, unknown>>;
  readonly iteration: readonly number[];
  readonly payload?: unknown;
  /** Set only while running the flow's own top-level steps: index of the step, for safe points. */
  readonly top?: number;
}

/**
 * The frame of the flow's own steps. Frames are never mutated, only extended by copying: this
 * one lives in a module that every cached workflow shares (see PRELOADED_MODULES), so it is frozen.
 */
export const TOP_FRAME: Frame = Object.freeze({
  bindings: Object.freeze({}),
  iteration: Object.freeze([]),
});

const SIGNAL_BUFFER_LIMIT = 1000;

/** Everything one run of the interpreter shares across its steps and message handlers. */
export class Run {
  readonly flow: CompiledFlow;
  readonly input: unknown;
  readonly vars: Record<string, unknown>;
  readonly progress: ProgressTracker;
  readonly compensations: PendingCompensation[];
  readonly signals = new Map<string, unknown[]>();
  readonly continuedAsNew: number;
  readonly facts: WorkflowFacts;
  /** Keeps what continue-as-new would carry under the payload limit. */
  readonly carry: CarryGuard;
  /** Fails the run before the server's history limit would terminate it. */
  readonly history: HistoryGuard;
  /**
   * Called between top-level steps and top-level loop iterations: where continue-as-new may
   * happen. The interpreter installs it; `step` is the next top-level index to run.
   */
  safePoint: (step: number, iteration?: number, loop?: LoopState) => Promise<void> = async () =>
    undefined;
  private resumePending: boolean;

  constructor(
    readonly runInput: FlowRunInput,
    readonly resume: ResumeState | undefined,
    readonly hooks: InterpreterHooks,
  ) {
    this.flow = runInput.flow;
    this.input = runInput.input;
    this.vars = resume ? resume.vars : structuredCloneJson(this.flow.vars ?? {});
    this.compensations = resume ? resume.compensations : [];
    this.continuedAsNew = resume?.continuedAsNew ?? 0;
    for (const [name, payloads] of Object.entries(resume?.signals ?? {})) {
      this.signals.set(name, payloads);
    }
    this.resumePending = resume?.iteration !== undefined;
    this.progress = new ProgressTracker(this.flow.flow, this.flow.hash, this.continuedAsNew);
    this.history = new HistoryGuard(runInput.limits);
    const info = workflowInfo();
    // The start event holds the whole input, so the history size at the first task bounds it.
    const started = info.historySize > 0 ? info.historySize : undefined;
    this.carry = new CarryGuard(
      () => ({ flow: this.flow, input: this.input }),
      started === undefined ? undefined : started + jsonBytes(this.vars),
    );
    this.facts = Object.defineProperty(
      {
        id: info.workflowId,
        runId: info.runId,
        type: info.workflowType,
        taskQueue: info.taskQueue,
        startTime: info.startTime.toISOString(),
      },
      'now',
      { enumerable: true, get: () => new Date().toISOString() },
    ) as WorkflowFacts;
  }

  root(frame: Frame): ExpressionRoot {
    return {
      ...frame.bindings,
      input: this.input,
      vars: this.vars,
      payload: frame.payload,
      workflow: this.facts,
    };
  }

  /** What continue-as-new carries besides the definition and the input. */
  carried(loop?: LoopState): CarriedState {
    const state: CarriedState = {
      vars: this.vars,
      compensations: this.compensations,
      signals: Object.fromEntries(this.signals),
    };
    if (loop) state.loop = loop;
    return state;
  }

  /** Stores a `result:` or `set:` value at a dotted vars path; fails when the carry gets too large. */
  store(path: string, value: unknown, step: string): void {
    setPath(this.vars, path, value);
    this.carry.stored(() => this.carried(), path, value, step);
  }

  /** Child flows live in the root flow's map; a child run gets that map in its own input. */
  childFlow(name: string): CompiledFlow | undefined {
    return this.flow.flows?.[name];
  }

  /** The loop iteration a resumed top-level loop starts from (once; later runs start at 0). */
  resumeIteration(top: number): number {
    return this.resumeLoop(top)?.iteration ?? 0;
  }

  /** Where a resumed top-level loop picks up, with a forEach's carried state (once). */
  resumeLoop(top: number): { iteration: number; loop?: LoopState } | undefined {
    if (!this.resumePending || this.resume?.step !== top) return undefined;
    this.resumePending = false;
    const at = { iteration: this.resume.iteration ?? 0 };
    return this.resume.loop ? { ...at, loop: this.resume.loop } : at;
  }

  receiveSignal(name: string, payload: unknown): void {
    let queue = this.signals.get(name);
    if (!queue) {
      queue = [];
      this.signals.set(name, queue);
    }
    queue.push(payload);
    if (queue.length > SIGNAL_BUFFER_LIMIT) queue.shift();
  }

  hasSignal(name: string): boolean {
    return (this.signals.get(name)?.length ?? 0) > 0;
  }

  takeSignal(name: string): unknown {
    return this.signals.get(name)?.shift();
  }
}

function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The progress/activity id of one run of a step: `id`, or `id#i.j` inside loops. */
export function instanceId(step: CompiledStep, frame: Frame): string {
  return frame.iteration.length === 0 ? step.id : `${step.id}#${frame.iteration.join('.')}`;
}
