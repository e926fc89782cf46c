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
export { checkInput } from './input';
export { loadPlugins, resolvePluginUrl } from './load';
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
