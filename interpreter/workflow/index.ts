/**
 * The `workflowsPath` entry of every Weft worker. Its default export is Temporal's dynamic
 * (default) workflow, so each flow runs under workflow type = flow name. Export nothing else
 * here: every export of this module is registered as a workflow.
 */
import type { FlowRunInput } from '../model/types';
import { interpret } from './interpreter';

export default async function weftInterpreter(input: FlowRunInput): Promise<unknown> {
  return interpret(input);
}
