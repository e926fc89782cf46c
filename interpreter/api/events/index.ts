export { compensatedBy, HistoryMapper, stepIdOf } from './history-mapper';
export { ProgressEvents } from './progress-events';
export { parseEventId, type ResumePoint, type RunStreamOptions, runEvents } from './run-stream';
