import { HttpPolicy } from '../http-policy';
import type { Plugin } from '../types';
import { httpPlugin } from './http';
import { ssePlugin } from './sse';

/**
 * The plugins every registry starts with, and the module each came from (for threads). Only
 * activities fit for any flow a server accepts belong here: nothing that writes files, and
 * network access only where `policy` allows (see HttpPolicy).
 */
export function builtinPlugins(
  policy: HttpPolicy = HttpPolicy.from(),
): { plugin: Plugin; source: string }[] {
  return [
    { plugin: httpPlugin(policy), source: new URL('./http.ts', import.meta.url).href },
    { plugin: ssePlugin(policy), source: new URL('./sse.ts', import.meta.url).href },
  ];
}

export type { SseEvent } from './sse';
export { SseParser } from './sse';
