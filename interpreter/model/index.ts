export * from './expressions';
export * from './ids';
export * from './limits';
export type {
  ActivityManifest,
  ActivityManifestEntry,
  ExternalActivityInfo,
} from './manifest';
export { ACTIVITIES_FILE, FLOW_FILE, FLOW_FILE_NAMES } from './manifest';
export * from './step-kinds';
export * from './truthiness';
export * from './types';
export * from './wire';
