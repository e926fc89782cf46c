import { useEffect, useState } from 'react';
import { type AppliedSchedule, api } from '../api';
import { follow } from '../run';
import { useDesigner } from '../store';

/** A schedule as the open flow's text declares it (only what the panel shows). */
interface DeclaredSchedule {
  id: string;
  cron?: string;
  every?: string;
  paused?: boolean;
}

function declaredSchedules(value: unknown): DeclaredSchedule[] {
  const list = (value as { schedules?: unknown } | undefined)?.schedules;
  if (!Array.isArray(list)) return [];
  return list.flatMap((s): DeclaredSchedule[] => {
    if (typeof s !== 'object' || s === null) return [];
    const o = s as Record<string, unknown>;
    if (typeof o.id !== 'string') return [];
    const cron = Array.isArray(o.cron) ? o.cron.join(', ') : o.cron;
    return [
      {
        id: o.id,
        ...(typeof cron === 'string' ? { cron } : {}),
        ...(typeof o.every === 'string' || typeof o.every === 'number'
          ? { every: String(o.every) }
          : {}),
        ...(o.paused === true ? { paused: true } : {}),
      },
    ];
  });
}

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * The open flow's schedules: what its file declares, and what Temporal has of them (applied,
 * paused, next and recent runs), with the actions `weft schedule` offers.
 */
export function SchedulesPanel() {
  const value = useDesigner((s) => s.value);
  const path = useDesigner((s) => s.source.path);
  // Apply reads the file on the server: unsaved edits would not be what it applies.
  const dirty = useDesigner((s) => s.text !== s.savedText);
  const flowName = (value as { flow?: unknown } | undefined)?.flow;
  const declared = declaredSchedules(value);
  const [applied, setApplied] = useState<AppliedSchedule[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const refresh = () => {
    if (typeof flowName !== 'string') return;
    api
      .schedules(flowName)
      .then((s) => {
        setApplied(s);
        setError(undefined);
      })
      .catch((e: Error) => setError(e.message));
  };
  useEffect(refresh, [flowName]);
  const act = (p: Promise<unknown>) => {
    setBusy(true);
    p.then(() => setError(undefined))
      .catch((e: Error) => setError(e.message))
      .finally(() => {
        setBusy(false);
        refresh();
      });
  };
  const ids = [...new Set([...declared.map((d) => d.id), ...applied.flatMap((a) => a.id ?? [])])];
  return (
    <section className="weft-schedules" aria-label="Schedules">
      <div className="weft-run-list-head">
        <h3>Schedules of {typeof flowName === 'string' ? flowName : 'this flow'}</h3>
        {path !== undefined && declared.length > 0 && (
          <button
            type="button"
            disabled={busy || dirty}
            onClick={() => act(api.applySchedules(path))}
          >
            Apply schedules
          </button>
        )}
        {dirty && declared.length > 0 && (
          <span className="weft-muted">Save first: Apply reads the saved file.</span>
        )}
        <button type="button" onClick={refresh} aria-label="Refresh the schedules">
          ↻
        </button>
      </div>
      {error && <p className="weft-muted">{error}</p>}
      {ids.length === 0 && <p className="weft-muted">This flow declares no schedules.</p>}
      <ul className="weft-schedule-list">
        {ids.map((id) => {
          const d = declared.find((x) => x.id === id);
          const a = applied.find((x) => x.id === id);
          return (
            <li key={id} data-schedule-id={id} data-applied={a ? 'true' : 'false'}>
              <div>
                <strong>{id}</strong>{' '}
                <span className="weft-muted">
                  {d?.every !== undefined ? `every ${d.every}` : ''}
                  {d?.cron !== undefined ? `cron ${d.cron}` : ''}
                  {d === undefined ? 'no longer in the file' : ''}
                  {d?.paused ? ', declared paused' : ''}
                </span>{' '}
                <span
                  className="weft-badge"
                  data-field="state"
                  data-paused={a?.paused ? 'true' : 'false'}
                >
                  {a ? (a.paused ? 'paused' : 'active') : 'not applied'}
                </span>
                {a?.note && <span className="weft-muted"> {a.note}</span>}
              </div>
              {a && (
                <>
                  <div className="weft-schedule-actions">
                    {a.paused ? (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => act(api.scheduleAction(a.scheduleId, 'unpause'))}
                      >
                        Unpause
                      </button>
                    ) : (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() => act(api.scheduleAction(a.scheduleId, 'pause'))}
                      >
                        Pause
                      </button>
                    )}
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => act(api.scheduleAction(a.scheduleId, 'trigger'))}
                    >
                      Trigger
                    </button>
                  </div>
                  <div data-field="next-runs">
                    Next runs:{' '}
                    {a.nextRuns.length === 0 ? (
                      <span className="weft-muted">none</span>
                    ) : (
                      a.nextRuns.slice(0, 3).map((t) => (
                        <time key={t} dateTime={t}>
                          {when(t)}{' '}
                        </time>
                      ))
                    )}
                  </div>
                  <div data-field="recent-runs">
                    Recent runs:{' '}
                    {a.recentRuns.length === 0 && <span className="weft-muted">none</span>}
                    <ul className="weft-run-list">
                      {a.recentRuns
                        .slice(-5)
                        .reverse()
                        .map((r) => (
                          <li key={r.workflowId}>
                            <button type="button" onClick={() => follow(r.workflowId)}>
                              {r.workflowId} <span className="weft-muted">{when(r.takenAt)}</span>
                            </button>
                          </li>
                        ))}
                    </ul>
                  </div>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
