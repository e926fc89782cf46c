export * from './expressions';
export * from './ids';
export * from './limits';
export type { ActivityManifest, ActivityManifestEntry } from './manifest';
export * from './step-kinds';
export * from './truthiness';
export * from './types';
export * from './wire';
