/**
 * The Weft client: start flows and talk to running ones. Shared by the CLI commands and the
 * HTTP API; every function takes a connected @temporalio/client Client.
 */

export { connectFromEnv, LOCAL_SERVER } from './connect';
export { checkJsonDepth, MAX_JSON_DEPTH } from './depth';
export { describeFlow, type FlowDescription, type PendingActivity } from './describe';
export { ClientError, type ClientErrorCode } from './errors';
export {
  describePollers,
  type ExternalNeed,
  type ExternalQueue,
  externalNeeds,
  NO_POLLER,
  type QueuePollers,
} from './external';
export {
  formatHeartbeat,
  formatProgress,
  formatStep,
  formatWorkflowTaskProblem,
} from './format';
export { exportHistory, type History, historyToJson, parseHistory } from './history';
export { checkFlowInput, parseJson } from './input';
export { type FlowListing, type ListFlowsOptions, listFlows } from './list';
export { cancelFlow, queryFlow, signalFlow, updateFlow } from './messages';
export { checkMessagePayload, type MessageKind } from './payload';
export {
  type ProgressWatcher,
  readProgress,
  type WatchProgressOptions,
  watchProgress,
} from './progress';
export { type FlowOutcome, flowOutcome, flowResult, outcomeOfError } from './result';
export { FILTERABLE_RUN_STATUSES, runStatusOf, visibilityStatusOf } from './run-status';
export {
  type AppliedSchedule,
  applySchedules,
  type FlowSchedule,
  listOwnedSchedules,
  ownedSchedule,
  ownedScheduleId,
  SCHEDULE_ID_PREFIX,
  type ScheduleView,
  scheduleIdOf,
  schedulesOf,
  scheduleView,
} from './schedules';
export { FLOW_SEARCH_ATTRIBUTE } from './search-attributes';
export {
  DEFAULT_TASK_QUEUE,
  defaultWorkflowId,
  flowStartOptions,
  type StartedFlow,
  type StartFlowOptions,
  startFlow,
} from './start';
export { flowTaskQueues, isolateTaskQueues, privateTaskQueue } from './task-queues';
export { resolveStartTemplate } from './template';
export {
  failuresInARow,
  readWorkflowTaskProblem,
  taskFailureOf,
  type WorkflowTaskProblem,
  workflowTaskProblemOf,
} from './workflow-task';
