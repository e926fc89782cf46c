/**
 * `weft`: what a plugin module needs. Types for activities and plugins, the identity helpers that
 * infer them, and the typed failures an activity throws. Nothing here starts a worker or connects.
 */
export { nonRetryable, PluginError, type PluginErrorCode, retryable } from '../activities/errors';
export {
  type ActivityContext,
  type ActivityDefinition,
  type ActivityLogger,
  type ActivityRunInfo,
  defineActivity,
  definePlugin,
  type Plugin,
} from '../activities/types';
export type { ActivityOptionsSpec, CompiledFlow, FlowError, JsonSchema } from '../model';
export { DSL_VERSION } from './version';
