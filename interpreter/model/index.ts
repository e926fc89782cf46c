export type { ActivityManifest, ActivityManifestEntry } from './manifest';
export * from './types';
