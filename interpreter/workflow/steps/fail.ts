import type { FlowError } from '../../model/wire';
import { FlowFailure } from '../errors';
import { resolveTemplate } from '../expressions';
import type { Executor } from './types';

export const fail: Executor<'fail'> = async (step, { run, frame, id }) => {
  const root = run.root(frame);
  const message = await resolveTemplate(step.message, root, id);
  const error: FlowError = {
    type: step.error,
    message:
      message === undefined
        ? step.error
        : typeof message === 'string'
          ? message
          : JSON.stringify(message),
    step: id,
  };
  if (step.details !== undefined) error.details = await resolveTemplate(step.details, root, id);
  throw new FlowFailure(error);
};
