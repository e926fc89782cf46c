export { ApiRequestError, api, type FlowFileEntry, type RunSummary } from './client';
