import { executeChild, workflowInfo } from '@temporalio/workflow';
import type { FlowRunInput } from '../../model/types';
import { ERROR_TYPES, FlowFailure } from '../errors';
import { resolveExpression, resolveTemplate } from '../expressions';
import { checkPayload } from '../limits';
import type { Executor } from './types';

const POLICIES = Object.freeze({
  terminate: 'TERMINATE',
  abandon: 'ABANDON',
  requestCancel: 'REQUEST_CANCEL',
} as const);

/**
 * A child workflow whose type is the child flow's name. Its input carries the compiled child
 * with the root's `flows` map, so it can start children of its own. Default workflowId: the
 * parent's id plus the step's instance id (deterministic, readable in the Web UI).
 */
export const flow: Executor<'flow'> = async (step, { run, frame, id }) => {
  const child = run.childFlow(step.flow);
  if (!child) {
    throw new FlowFailure({
      type: ERROR_TYPES.invalidFlow,
      message: `step '${id}': no child flow '${step.flow}' in flows`,
      step: id,
    });
  }
  const root = run.root(frame);
  const input = await resolveTemplate(step.input, root, id);
  const workflowId =
    step.workflowId !== undefined
      ? String(await resolveExpression(step.workflowId, root, id))
      : `${workflowInfo().workflowId}/${id}`;
  const childInput: FlowRunInput = { flow: { ...child, flows: run.flow.flows }, input };
  if (run.runInput.limits) childInput.limits = run.runInput.limits;
  checkPayload(
    childInput,
    'input',
    id,
    `the input of child flow '${step.flow}' (step '${id}'; it carries the child's definition)`,
  );
  const o = child.options ?? {};
  return executeChild(child.flow, {
    args: [childInput],
    workflowId,
    parentClosePolicy: POLICIES[step.parentClosePolicy ?? 'terminate'],
    memo: { weftHash: child.hash },
    ...(o.executionTimeout !== undefined
      ? { workflowExecutionTimeout: o.executionTimeout as never }
      : {}),
    ...(o.runTimeout !== undefined ? { workflowRunTimeout: o.runTimeout as never } : {}),
    ...(o.taskTimeout !== undefined ? { workflowTaskTimeout: o.taskTimeout as never } : {}),
  });
};
