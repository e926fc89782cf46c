import type { ActivityRunInfo } from './types';

/** A plugin thread's workerData: its entry, and tsx's ESM API for TypeScript plugin modules. */
export interface ThreadBootData {
  entry: string;
  tsx: string;
  /** Set in the thread once tsx is registered there. */
  tsxRegistered: boolean;
}

/** Messages between the worker's main thread and a plugin thread. Plain data only. */
export type ToThread =
  | {
      type: 'run';
      id: number;
      moduleUrl: string;
      plugin: string;
      activity: string;
      input: unknown;
      info: ActivityRunInfo;
    }
  | { type: 'abort'; id: number };

export interface SerializedError {
  type: string;
  message: string;
  nonRetryable: boolean;
  details?: unknown;
  stack?: string;
}

export type FromThread =
  /** The thread has loaded its runtime and listens for jobs. */
  | { type: 'ready' }
  /** The plugin module is loaded and the job's `run` is about to be called. */
  | { type: 'started'; id: number }
  | { type: 'heartbeat'; id: number; details: unknown }
  | {
      type: 'log';
      id: number;
      level: 'debug' | 'info' | 'warn' | 'error';
      message: string;
      attrs?: Record<string, unknown>;
    }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: SerializedError };
