export { HistoryMapper, stepIdOf } from './history-mapper';
export { parseEventId, type ResumePoint, type RunStreamOptions, runEvents } from './run-stream';
