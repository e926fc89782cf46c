import type { Plugin } from '../types';
import http from './http';
import sse from './sse';
import test from './test';

/** The plugins every registry starts with, and the module each came from (for threads). */
export const builtinPlugins: { plugin: Plugin; source: string }[] = [
  { plugin: http, source: new URL('./http.ts', import.meta.url).href },
  { plugin: sse, source: new URL('./sse.ts', import.meta.url).href },
  { plugin: test, source: new URL('./test.ts', import.meta.url).href },
];

export type { SseEvent } from './sse';
export { SseParser } from './sse';
