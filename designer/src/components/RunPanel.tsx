import { useEffect, useState } from 'react';
import { api, type RunSummary } from '../api';
import { follow } from '../run';
import { eventLabel } from '../run/timeline';
import { runStatusAt, useDesigner } from '../store';
import { RunDetail } from './RunDetail';

let uiBase: Promise<string | undefined> | undefined;

/** The Temporal Web UI's address: the API tells it, or the dev server's default (gRPC port + 1000). */
function temporalUi(): Promise<string | undefined> {
  uiBase ??= api
    .health()
    .then((h) => {
      if (h.temporal?.uiUrl) return h.temporal.uiUrl;
      const m = /^(localhost|127\.0\.0\.1|\[::1\]):(\d+)$/.exec(h.temporal?.address ?? '');
      return m ? `http://${m[1]}:${Number(m[2]) + 1000}` : undefined;
    })
    .catch(() => undefined);
  return uiBase;
}

function useNamespace(): string {
  const [ns, setNs] = useState('default');
  useEffect(() => {
    void api
      .health()
      .then((h) => setNs(h.temporal?.namespace ?? 'default'))
      .catch(() => undefined);
  }, []);
  return ns;
}

function WebUiLink({ workflowId, runId }: { workflowId: string; runId?: string }) {
  const [base, setBase] = useState<string | undefined>();
  const ns = useNamespace();
  useEffect(() => {
    void temporalUi().then(setBase);
  }, []);
  if (!base) return null;
  const href = `${base}/namespaces/${encodeURIComponent(ns)}/workflows/${encodeURIComponent(workflowId)}${runId ? `/${encodeURIComponent(runId)}` : ''}`;
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer"
      aria-label={`Open ${workflowId} in the Temporal Web UI`}
    >
      Web UI ↗
    </a>
  );
}

/** This flow's runs; the open run's state and a scrubber over its events. */
export function RunPanel() {
  const run = useDesigner((s) => s.run);
  const flowName = useDesigner((s) => (s.value as { flow?: unknown } | undefined)?.flow);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [error, setError] = useState<string | undefined>();
  const refresh = () => {
    if (typeof flowName !== 'string') return;
    api
      .runs(flowName)
      .then((r) => {
        setRuns(r);
        setError(undefined);
      })
      .catch((e: Error) => setError(e.message));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: refresh when the flow or the run changes
  useEffect(refresh, [flowName, run?.workflowId, run?.live]);
  const count = run ? (run.cursor ?? run.events.length) : 0;
  const status = run ? runStatusAt(run.events, count) : undefined;
  return (
    <section className="weft-runs" aria-label="Runs">
      {run && (
        <div className="weft-current-run" data-run-status={status?.status ?? 'running'}>
          <div>
            <strong>{run.workflowId}</strong> — {status?.status ?? 'running'}
            {run.live ? ' (live)' : ''}{' '}
            <WebUiLink workflowId={run.workflowId} {...(run.runId ? { runId: run.runId } : {})} />
          </div>
          {status?.status === 'stuck' && (
            <div className="weft-problem" role="alert">
              Stuck: its workflow task failed {status.taskFailures ?? 1} time
              {(status.taskFailures ?? 1) === 1 ? '' : 's'} in a row; nothing moves until the cause
              is fixed.
            </div>
          )}
          {status?.error && <div className="weft-problem">{status.error.message}</div>}
          {!run.live && run.events.length > 0 && (
            <label className="weft-scrubber">
              History {count}/{run.events.length}:{' '}
              <span className="weft-scrubber-event">{eventLabel(run.events, count)}</span>
              <input
                type="range"
                min={0}
                max={run.events.length}
                value={count}
                aria-label="Step through the run's history"
                onChange={(e) => {
                  const v = Number(e.target.value);
                  useDesigner.getState().setCursor(v === run.events.length ? null : v);
                }}
              />
            </label>
          )}
          <RunDetail run={run} count={count} />
        </div>
      )}
      <div className="weft-run-list-head">
        <h3>Runs of {typeof flowName === 'string' ? flowName : 'this flow'}</h3>
        <button type="button" onClick={refresh} aria-label="Refresh the run list">
          ↻
        </button>
      </div>
      {error && <p className="weft-muted">{error}</p>}
      <ul className="weft-run-list">
        {runs.map((r) => (
          <li key={`${r.workflowId}-${r.runId}`}>
            <button
              type="button"
              onClick={() => follow(r.workflowId, r.runId)}
              // The name reads what the button shows, in its order, so voice control finds it.
              aria-label={`Open run ${r.workflowId} ${r.status}${r.startTime ? ` ${new Date(r.startTime).toLocaleString()}` : ''}`}
            >
              {r.workflowId}{' '}
              <span className={`weft-badge status-${r.status.toLowerCase()}`}>{r.status}</span>
              {r.startTime && (
                <span className="weft-muted"> {new Date(r.startTime).toLocaleString()}</span>
              )}
            </button>
            <WebUiLink workflowId={r.workflowId} runId={r.runId} />
          </li>
        ))}
      </ul>
    </section>
  );
}
