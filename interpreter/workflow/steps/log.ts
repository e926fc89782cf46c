import { log as workflowLog } from '@temporalio/workflow';
import { resolveTemplate } from '../expressions';
import type { Executor } from './types';

/** Through the workflow logger, which stays silent during replay. */
export const log: Executor<'log'> = async (step, { run, frame, id }) => {
  const value = await resolveTemplate(step.log, run.root(frame), id);
  const message = typeof value === 'string' ? value : JSON.stringify(value);
  workflowLog.info(message, { step: id, flow: run.flow.flow });
  return undefined;
};
