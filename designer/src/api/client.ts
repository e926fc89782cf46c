/**
 * The designer's side of the HTTP API (`weft serve`). URLs are relative, so the app works
 * wherever it is hosted.
 */
import type { ActivityManifest, ScheduleView } from '../../../interpreter/model';
import type {
  RunEventData,
  RunEventStatus,
  RunStatus,
  StepEventData,
} from '../../../interpreter/model/wire';
import type { FolderProblem, ProgressStep, RunEvent } from '../store';

export class ApiRequestError extends Error {
  override name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

async function fail(res: Response): Promise<never> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText;
  let details: unknown;
  try {
    const body = (await res.json()) as {
      error?: { code?: string; message?: string; details?: unknown };
    };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
    details = body.error?.details;
  } catch {
    // Not JSON: the status text says enough.
  }
  throw new ApiRequestError(res.status, code, message, details);
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) return fail(res);
  return (await res.json()) as T;
}

function flowUrl(path: string): string {
  return `api/flows/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** What a save answers about the text it wrote. */
export interface SavedDiagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface FlowFileEntry {
  path: string;
  size?: number;
  modified?: string;
}

export interface RunSummary {
  workflowId: string;
  runId: string;
  flow?: string;
  status: RunStatus;
  startTime?: string;
  closeTime?: string;
}

/** A Temporal schedule Weft applied (`weft:<flow>:<id>`), as `GET /api/schedules` shows it. */
export type AppliedSchedule = ScheduleView;

/** Run statuses after which the stream goes on. */
const LIVE_RUN_STATUSES: ReadonlySet<RunEventStatus> = new Set(['running', 'stuck']);

export const api = {
  /** The activity manifest; with `flow`, that flow's (its subfolder's activities file too). */
  activities: (flow?: string) =>
    json<ActivityManifest>(
      flow === undefined ? 'api/activities' : `api/activities?flow=${encodeURIComponent(flow)}`,
    ),
  schema: () => json<Record<string, unknown>>('api/schema'),
  health: () =>
    json<{ ok: boolean; temporal?: { address?: string; namespace?: string; uiUrl?: string } }>(
      'api/health',
    ),
  flows: async () => (await json<{ flows: FlowFileEntry[] }>('api/flows')).flows,

  /** The problems of the activities files that apply to the flow at `path` (not in its text). */
  activityProblems: async (path: string) =>
    (
      await json<{ diagnostics: FolderProblem[] }>(
        `api/activities/problems?flow=${encodeURIComponent(path)}`,
        { cache: 'no-store' },
      )
    ).diagnostics,

  async readFlow(path: string): Promise<{ text: string; etag: string | undefined }> {
    const res = await fetch(flowUrl(path), { cache: 'no-store' });
    if (!res.ok) return fail(res);
    return { text: await res.text(), etag: res.headers.get('etag') ?? undefined };
  },

  /**
   * Writes the file, always conditionally (the server refuses to overwrite blindly, 428): with
   * the ETag the file was read with (409 when it changed meanwhile), `'*'` to overwrite whatever
   * is there, or no ETag to create a file that must not exist yet (409 when it does). A flow
   * with errors is written as it is (`allowErrors`); its diagnostics come back.
   */
  async saveFlow(
    path: string,
    text: string,
    etag: string | undefined,
  ): Promise<{ etag: string | undefined; created: boolean; diagnostics: SavedDiagnostic[] }> {
    const headers: Record<string, string> = {
      'Content-Type': path.endsWith('.json') ? 'application/json' : 'text/yaml',
    };
    if (etag !== undefined) headers['If-Match'] = etag;
    else headers['If-None-Match'] = '*';
    const body = path.endsWith('.json') ? JSON.stringify({ text }) : text;
    const res = await fetch(`${flowUrl(path)}?allowErrors=true`, {
      method: 'PUT',
      headers,
      body,
    });
    if (!res.ok) return fail(res);
    const answer = (await res.json().catch(() => ({}))) as { diagnostics?: SavedDiagnostic[] };
    return {
      etag: res.headers.get('etag') ?? undefined,
      created: res.status === 201,
      diagnostics: answer.diagnostics ?? [],
    };
  },

  startRun: (body: { file?: string; definition?: string; input: unknown }) =>
    json<{ workflowId: string; runId: string }>('api/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),

  runs: async (flow: string) =>
    (await json<{ runs: RunSummary[] }>(`api/runs?flow=${encodeURIComponent(flow)}&limit=20`)).runs,

  schedules: async (flow: string) =>
    (
      await json<{ schedules: AppliedSchedule[] }>(
        `api/schedules?flow=${encodeURIComponent(flow)}`,
        { cache: 'no-store' },
      )
    ).schedules,

  /** Applies the file's `schedules:` as `weft schedule apply` does (the saved file, not the editor's text). */
  applySchedules: (file: string) =>
    json<{ applied: { scheduleId: string; change: string }[] }>('api/schedules/apply', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ file }),
    }),

  scheduleAction: (scheduleId: string, action: 'pause' | 'unpause' | 'trigger') =>
    json<{ scheduleId: string; action: string }>(
      `api/schedules/${encodeURIComponent(scheduleId)}/${action}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    ),

  run: (workflowId: string) =>
    json<{
      status: RunStatus;
      runId?: string;
      progress?: { steps: ProgressStep[] };
    }>(`api/runs/${encodeURIComponent(workflowId)}`),

  /** Asks the run to cancel: its onCancel steps and compensations run, then it ends cancelled. */
  cancelRun: (workflowId: string) =>
    json<{ ok: boolean }>(`api/runs/${encodeURIComponent(workflowId)}/cancel`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    }),

  /** Sends a signal, runs an update (its result) or a query (its answer) the flow declares. */
  async message(
    kind: 'signal' | 'update' | 'query',
    workflowId: string,
    name: string,
    payload: unknown,
  ): Promise<unknown> {
    const body = await json<{ result?: unknown }>(
      `api/runs/${encodeURIComponent(workflowId)}/${kind}/${encodeURIComponent(name)}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      },
    );
    return body.result;
  },

  /** Opens the run's SSE stream; returns a function that closes it. */
  events(workflowId: string, onEvent: (e: RunEvent) => void, onEnd: () => void): () => void {
    const source = new EventSource(`api/runs/${encodeURIComponent(workflowId)}/events`);
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      source.close();
      onEnd();
    };
    source.addEventListener('step', (m) =>
      onEvent({
        event: 'step',
        data: JSON.parse((m as MessageEvent<string>).data) as StepEventData,
      }),
    );
    source.addEventListener('run', (m) => {
      const data = JSON.parse((m as MessageEvent<string>).data) as RunEventData;
      onEvent({ event: 'run', data });
      // `running` and `stuck` (workflow tasks failing) can change again; the others are final.
      if (!LIVE_RUN_STATUSES.has(data.status)) end();
    });
    // EventSource reconnects on its own after a network error; a closed stream (CLOSED) is final.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) end();
    };
    return end;
  },
};
