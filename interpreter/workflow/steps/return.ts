import { ReturnSignal } from '../errors';
import { resolveTemplate } from '../expressions';
import type { Executor } from './types';

/** Unwinds every enclosing step (running `finally` blocks) and ends the flow with this output. */
export const returnStep: Executor<'return'> = async (step, { run, frame, id }) => {
  throw new ReturnSignal(await resolveTemplate(step.return, run.root(frame), id));
};
