import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  CancelledFailure,
  ContinueAsNew,
  condition,
  log,
  workflowInfo,
} from '@temporalio/workflow';
import type { FlowRunInput } from '../model/types';
import { continueAsNewIfSuggested } from './continue-as-new';
import { ERROR_TYPES, ReturnSignal, toApplicationFailure, toFlowFailure } from './errors';
import { resolveTemplate } from './expressions';
import { checkPayload } from './limits';
import { registerMessages } from './messages';
import { type InterpreterHooks, type ResumeState, Run, TOP_FRAME } from './run';
import { compensate } from './saga';
import { runStep, runSteps } from './sequence';

function guard(input: FlowRunInput | undefined): asserts input is FlowRunInput {
  const flow = input?.flow;
  if (flow?.weft !== 1 || !Array.isArray(flow.steps)) {
    // The client validates fully before start; this only stops a malformed input early.
    throw ApplicationFailure.nonRetryable(
      'the workflow input is not {flow: CompiledFlow (weft: 1), input}; compile the flow with weft first',
      ERROR_TYPES.invalidFlow,
    );
  }
}

async function runTopLevel(run: Run): Promise<void> {
  const steps = run.flow.steps;
  const first = run.resume?.step ?? 0;
  for (let i = first; i < steps.length; i++) {
    // Checked here, not only inside safePoint: the sandbox records a stack trace for every
    // promise, and an await per step on the common path shows up in replay time.
    if (i > first && workflowInfo().continueAsNewSuggested) await run.safePoint(i);
    await runStep(steps[i] as (typeof steps)[number], run, { ...TOP_FRAME, top: i });
  }
}

async function finish(run: Run, output: unknown): Promise<unknown> {
  await condition(allHandlersFinished);
  run.progress.status = 'completed';
  return output;
}

/**
 * Interprets one CompiledFlow: registers its messages, walks its steps, and ends with its output.
 * On an uncaught failure the compensations run and the flow fails with the original error; on a
 * cancellation, `onCancel` runs first (non-cancellable) and the flow ends Cancelled.
 */
export async function interpret(
  input: FlowRunInput,
  hooks: InterpreterHooks = {},
): Promise<unknown> {
  guard(input);
  const run = new Run(input, input.resume as ResumeState | undefined, hooks);
  run.safePoint = (step, iteration, loop) => continueAsNewIfSuggested(run, step, iteration, loop);
  registerMessages(run);
  try {
    let output: unknown;
    try {
      await runTopLevel(run);
      // Handlers still running (a signal's steps) finish first, so the output sees their effects.
      await condition(allHandlersFinished);
      output =
        run.flow.output === undefined
          ? run.vars
          : await resolveTemplate(run.flow.output, run.root(TOP_FRAME), 'output');
    } catch (err) {
      if (!(err instanceof ReturnSignal)) throw err;
      output = err.value;
    }
    // Inside the outer try: an output the server would refuse fails the run and compensates.
    checkPayload(output, 'output', 'output', 'the flow output');
    return await finish(run, output);
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    const failure = toFlowFailure(err, 'flow');
    run.progress.error = failure.error;
    run.progress.status = 'compensating';
    if (CancellationScope.current().consideredCancelled) {
      await CancellationScope.nonCancellable(async () => {
        try {
          await runSteps(run.flow.onCancel ?? [], run, TOP_FRAME);
        } catch (cleanup) {
          log.warn(`onCancel failed: ${toFlowFailure(cleanup, 'onCancel').message}`);
        }
        await compensate(run);
      });
      run.progress.status = 'cancelled';
      throw new CancelledFailure('flow cancelled');
    }
    await CancellationScope.nonCancellable(() => compensate(run));
    run.progress.status = 'failed';
    throw toApplicationFailure(failure.error);
  }
}
