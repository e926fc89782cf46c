import type { Plugin } from '../types';
import http from './http';
import sse from './sse';

/**
 * The plugins every registry starts with, and the module each came from (for threads). Only
 * activities fit for any flow a server accepts belong here: nothing that writes files.
 */
export const builtinPlugins: { plugin: Plugin; source: string }[] = [
  { plugin: http, source: new URL('./http.ts', import.meta.url).href },
  { plugin: sse, source: new URL('./sse.ts', import.meta.url).href },
];

export type { SseEvent } from './sse';
export { SseParser } from './sse';
