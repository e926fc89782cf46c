import type { CompiledStep, CompiledStepOf, StepKind } from '../../model/types';
import type { Frame, Run } from '../run';

/** What an executor gets besides its step: the run, its frame, its instance id, and recursion. */
export interface StepContext {
  run: Run;
  frame: Frame;
  /** Instance id: step id plus iteration suffix (progress, activityId, errors). */
  id: string;
  runSteps(steps: CompiledStep[], frame: Frame): Promise<unknown>;
}

/** One step kind's behaviour; resolves to the step's value (what `result:` stores). */
export type Executor<K extends StepKind> = (
  step: CompiledStepOf<K>,
  ctx: StepContext,
) => Promise<unknown>;

export type ExecutorTable = { [K in StepKind]: Executor<K> };
