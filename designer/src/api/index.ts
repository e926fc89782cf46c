export {
  ApiRequestError,
  api,
  type FlowFileEntry,
  type RunSummary,
  type SavedDiagnostic,
} from './client';
