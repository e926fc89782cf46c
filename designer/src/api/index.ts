export {
  ApiRequestError,
  type AppliedSchedule,
  api,
  type FlowFileEntry,
  type RunSummary,
  type SavedDiagnostic,
} from './client';
