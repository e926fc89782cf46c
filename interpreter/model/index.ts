export * from './ids';
export type { ActivityManifest, ActivityManifestEntry } from './manifest';
export * from './types';
