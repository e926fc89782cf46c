export * from './expressions';
export * from './graph';
export type { GraphBranch } from './graph-branches';
export * from './ids';
export type { ActivityManifest, ActivityManifestEntry } from './manifest';
export * from './types';
