export * from './expressions';
export * from './graph';
export type { GraphBranch } from './graph-branches';
export * from './ids';
export * from './limits';
export type { ActivityManifest, ActivityManifestEntry } from './manifest';
export * from './types';
export * from './wire';
