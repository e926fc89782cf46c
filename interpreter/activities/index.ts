export {
  type AbandonedCount,
  abandonedActivities,
  onAbandoned,
  recordAbandoned,
} from './abandoned';
export {
  ABANDON_GRACE_MS,
  ACTIVITY_TIMEOUT,
  AttemptGuard,
  attemptDeadline,
  TIMEOUT_SLACK_MS,
} from './attempt-guard';
export { builtinPlugins, type SseEvent, SseParser } from './builtin';
export { activityContext } from './context';
export { durationMs } from './duration';
export {
  INVALID_INPUT,
  nonRetryable,
  PluginError,
  type PluginErrorCode,
  retryable,
} from './errors';
export {
  ALLOW_HTTP_ENV,
  HTTP_FORBIDDEN,
  HttpPolicy,
  HttpPolicyError,
  reservedKind,
} from './http-policy';
export { checkInput } from './input';
export { type LoadOptions, loadPlugins, resolvePluginUrl } from './load';
export { type ActivityFunction, Registry } from './registry';
export {
  type ActivityContext,
  type ActivityDefinition,
  type ActivityLogger,
  type ActivityRunInfo,
  defineActivity,
  definePlugin,
  type Plugin,
} from './types';
