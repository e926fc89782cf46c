import type { Client } from '@temporalio/client';
import type { Diagnostic } from '../dsl';
import type { ActivityManifest } from '../model';
import type { Logger } from '../observability';
import type { FlowsDir } from './flows-dir';

/** Everything the routes need, passed in once; routes hold no global state. */
export interface ApiDeps {
  /** The folder behind /api/flows and POST /api/runs {file}. */
  flowsDir: string;
  client: Client;
  temporal: { address: string; namespace: string; uiUrl?: string };
  /** The activity manifest of the plugins this server knows (its worker's, or --plugins). */
  manifest(): ActivityManifest;
  /**
   * The problems of the flows folder's own activities file (WEFT070-074), which `manifest()`
   * has merged: validation and runs report them, as `weft validate` does for the file it reads.
   */
  activitiesFileDiagnostics?(): Diagnostic[];
  /** Task queue that flows start on (the interpreter workflow's queue). */
  taskQueue: string;
  /** Bearer token; when set, every /api route requires it. */
  token?: string;
  /** Largest request body in bytes (default 1 MiB); also the largest `definition` text. */
  bodyLimit?: number;
  /** Origins allowed by CORS; CORS is off when absent or empty. */
  corsOrigins?: string[];
  /** The address the server is bound to: a Host naming it is accepted (default 127.0.0.1). */
  boundHost?: string;
  /** Host names accepted besides loopback and the bound address (`--allowed-host`). */
  allowedHosts?: string[];
  /** The built designer (designer/dist); a placeholder page is served when it is missing. */
  designerDir?: string;
  log?: Logger;
  /** SSE tuning: heartbeat comment interval and the live-attempt poll interval. */
  sse?: { heartbeatMs?: number; pollMs?: number };
  /**
   * Called after a flow file is saved (PUT), once it is on disk: the served worker recomputes
   * its task queues, so a queue the saved flow names gets polled. Not awaited: a run started
   * meanwhile waits on its queue until then, and a save should not wait for a worker to start.
   */
  onFlowSaved?(path: string): void;
}

/** What each route module receives: the deps plus the checked flows folder. */
export interface RouteDeps extends ApiDeps {
  flows: FlowsDir;
  /** Event streams whose history polls are still running. */
  streams: { open: number };
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
