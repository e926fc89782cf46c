import { sleep as durableSleep } from '@temporalio/workflow';
import { ERROR_TYPES, FlowFailure } from '../errors';
import { resolveExpression, resolveTemplate } from '../expressions';
import type { Executor } from './types';

type SleepDuration = Parameters<typeof durableSleep>[0];

/** A durable timer: for a duration, or until a timestamp (nothing happens if it has passed). */
export const sleep: Executor<'sleep'> = async (step, { run, frame, id }) => {
  const root = run.root(frame);
  if (step.until !== undefined) {
    const at = await resolveExpression(step.until, root, id);
    const time = typeof at === 'number' ? at : Date.parse(String(at));
    if (Number.isNaN(time)) {
      throw new FlowFailure({
        type: ERROR_TYPES.expression,
        message: `step '${id}': sleep until ${JSON.stringify(at)} is not a timestamp`,
        step: id,
      });
    }
    const ms = time - Date.now();
    if (ms > 0) await durableSleep(ms);
    return undefined;
  }
  const duration = await resolveTemplate(step.duration, root, id);
  if (typeof duration !== 'number' && typeof duration !== 'string') {
    throw new FlowFailure({
      type: ERROR_TYPES.expression,
      message: `step '${id}': sleep duration ${JSON.stringify(duration)} is not a duration`,
      step: id,
    });
  }
  await durableSleep(duration as SleepDuration);
  return undefined;
};
