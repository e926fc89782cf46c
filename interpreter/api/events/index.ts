export { HistoryMapper, stepIdOf } from './history-mapper';
export { parseEventId, type ResumePoint, type RunStreamOptions, runEvents } from './run-stream';
export {
  currentTaskFailure,
  failuresInARow,
  TASK_FAILURE_TYPE,
  type TaskFailure,
  taskFailureOf,
} from './task-failure';
export {
  type EventError,
  FINAL_RUN_STATUSES,
  RUN_EVENT_STATUSES,
  type RunEventData,
  type RunEventStatus,
  type RunStreamEvent,
  STEP_EVENT_STATUSES,
  type StepEventData,
  type StepEventStatus,
} from './types';
