import { activity } from './activity';
import { fail } from './fail';
import { flow } from './flow';
import { forEach } from './for-each';
import { ifStep } from './if';
import { log } from './log';
import { parallel } from './parallel';
import { returnStep } from './return';
import { set } from './set';
import { sleep } from './sleep';
import { switchStep } from './switch';
import { tryStep } from './try';
import type { ExecutorTable } from './types';
import { wait } from './wait';
import { whileStep } from './while';

export { toActivityOptions } from './activity-options';
export { callArguments } from './call-args';
export type { Executor, StepContext } from './types';

/** One executor per step kind; a new kind adds one file and one line here. */
export const EXECUTORS: ExecutorTable = {
  activity,
  if: ifStep,
  switch: switchStep,
  parallel,
  forEach,
  while: whileStep,
  sleep,
  wait,
  set,
  try: tryStep,
  flow,
  log,
  fail,
  return: returnStep,
};
