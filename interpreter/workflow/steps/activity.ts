import { proxyActivities } from '@temporalio/workflow';
import { activityFailureOf } from '../errors';
import { resolveTemplate, resolveTemplateNow } from '../expressions';
import { checkPayload } from '../limits';
import { setPath } from '../paths';
import { toActivityOptions } from './activity-options';
import { callArguments } from './call-args';
import type { Executor } from './types';

type AnyActivity = (...args: unknown[]) => Promise<unknown>;

/** Calls the activity by name with the step's merged options; activityId = instance id. */
export const activity: Executor<'activity'> = async (step, { run, frame, id }) => {
  // Literal and synchronously evaluable inputs take no promise (each costs a stack capture in
  // the sandbox); only expressions outside the fast evaluator's subset are awaited.
  let input =
    step.input === undefined ? undefined : resolveTemplateNow(step.input, run.root(frame), id);
  if (input instanceof Promise) input = await input;
  checkPayload(input, 'input', id, `the input of activity ${step.activity} (step '${id}')`);
  const activities = proxyActivities<Record<string, AnyActivity>>(
    toActivityOptions(step.options, id, step.name),
  );
  const call = activities[step.activity] as AnyActivity;
  let value: unknown;
  try {
    value = await call(...callArguments(input, step.input !== undefined, step.args));
  } catch (err) {
    throw activityFailureOf(err, id, step.options.retry);
  }
  // Set here (not only by the generic `result:` handling) so `compensate.input` can read it.
  if (step.result) setPath(run.vars, step.result, value);
  if (step.compensate) {
    const c = step.compensate;
    run.compensations.push({
      step: id,
      activity: c.activity,
      input: await resolveTemplate(c.input, run.root(frame), id),
      options: c.options,
      ...(c.args !== undefined ? { args: c.args } : {}),
      ...(step.name !== undefined ? { name: `Compensate: ${step.name}` } : {}),
    });
  }
  return value;
};
