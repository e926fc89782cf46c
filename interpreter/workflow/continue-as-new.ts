import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { FlowRunInput } from '../model/types';
import type { LoopState, ResumeState, Run } from './run';

/**
 * At a safe point (between top-level steps, or between iterations of a top-level loop), and
 * only when the server suggests it, continues as new with the definition, the input, the vars,
 * the position, the registered compensations and the unconsumed signals. Handlers finish first,
 * so no signal or update is lost mid-way.
 */
export async function continueAsNewIfSuggested(
  run: Run,
  step: number,
  iteration?: number,
  loop?: LoopState,
): Promise<void> {
  if (!workflowInfo().continueAsNewSuggested) return;
  await condition(allHandlersFinished);
  const at = run.flow.steps[step]?.id ?? 'flow';
  run.carry.checkCarry(run.carried(loop), at);
  const resume: ResumeState = {
    step,
    vars: run.vars,
    compensations: run.compensations,
    continuedAsNew: run.continuedAsNew + 1,
    signals: Object.fromEntries(run.signals),
  };
  if (iteration !== undefined) resume.iteration = iteration;
  if (loop) resume.loop = loop;
  const next: FlowRunInput = { flow: run.flow, input: run.input, resume };
  if (run.runInput.limits) next.limits = run.runInput.limits;
  await continueAsNew<(input: FlowRunInput) => Promise<unknown>>(next);
}
