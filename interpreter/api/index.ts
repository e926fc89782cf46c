export { createApp } from './app';
export { type ApiDeps, DEFAULT_BODY_LIMIT, type RouteDeps } from './context';
export { API_ERRORS, ApiError, type ApiErrorBody, type ApiErrorCode } from './errors';
export { parseEventId, runEvents } from './events';
export { etagOf, FLOW_FILE, type FlowFileEntry, FlowsDir } from './flows-dir';
export { flowSearchAttributes } from './search-attributes';
export { isLoopback } from './security';
export { type ListeningServer, listen } from './server';
export {
  checkBind,
  type RunningServe,
  registerSearchAttributes,
  type ServeOptions,
  startServe,
} from './stack';
