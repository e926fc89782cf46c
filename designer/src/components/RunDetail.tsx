/** The open run in detail: its input and output, the clicked step, controls and a timeline. */
import { useMemo, useState } from 'react';
import { cancelRun, sendMessage, startRun } from '../run';
import { declaredMessages } from '../run/messages';
import { durationMs, formatDuration, type InstanceSpan, spansAt, stepSpans } from '../run/timeline';
import { type RunView, runStatusAt, useDesigner } from '../store';
import './run.css';

function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="weft-json" data-label={label} title={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function time(iso: string | undefined): string {
  return iso === undefined ? '—' : new Date(iso).toLocaleTimeString(undefined, { hour12: false });
}

function SpanDetail({ span }: { span: InstanceSpan }) {
  const undo = span.compensates !== undefined;
  return (
    <div className="weft-span" data-instance={span.instanceId}>
      <strong>{undo ? `↶ undo of ${span.compensates}` : span.instanceId}</strong>{' '}
      <span className={`weft-badge status-${span.status}`}>{span.status}</span>
      {span.branch && <span> branch {span.branch}</span>}
      <dl>
        <dt>attempts</dt>
        <dd data-field="attempts">{span.attempt}</dd>
        <dt>started</dt>
        <dd data-field="start">{time(span.start)}</dd>
        <dt>ended</dt>
        <dd data-field="end">{time(span.end)}</dd>
        <dt>duration</dt>
        <dd data-field="duration">{formatDuration(durationMs(span))}</dd>
      </dl>
      {span.input !== undefined && <Json value={span.input} label="Step input" />}
      {span.output !== undefined && <Json value={span.output} label="Step output" />}
      {span.error && (
        <div className="weft-problem" role="note" aria-label="Step error">
          {span.error.type ? `${span.error.type}: ` : ''}
          {span.error.message}
        </div>
      )}
    </div>
  );
}

/** The clicked step (the selection on the canvas), every instance of it and its undo. */
function StepDetail({ spans }: { spans: InstanceSpan[] }) {
  const stepId = useDesigner((s) => {
    const node = s.graph.nodes.find((n) => n.id === s.selected);
    return node?.stepId;
  });
  if (stepId === undefined) return <p className="weft-muted">Click a step to see what it did.</p>;
  const mine = stepSpans(spans, stepId);
  return (
    <section className="weft-step-detail" aria-label={`Run of step ${stepId}`}>
      <h4>Step {stepId}</h4>
      {mine.length === 0 ? (
        <p className="weft-muted">This step has not run (yet).</p>
      ) : (
        mine.slice(0, 20).map((s) => <SpanDetail key={s.instanceId} span={s} />)
      )}
      {mine.length > 20 && <p className="weft-muted">… and {mine.length - 20} more instances</p>}
    </section>
  );
}

/** A Gantt chart of the instances, compensations included, up to the scrubber. */
function Timeline({ spans, now }: { spans: InstanceSpan[]; now: number }) {
  const timed = spans.filter((s) => s.start !== undefined).slice(0, 200);
  if (timed.length === 0) return null;
  const t0 = Math.min(...timed.map((s) => Date.parse(s.start!)));
  const t1 = Math.max(now, ...timed.map((s) => Date.parse(s.end ?? s.start!)));
  const width = Math.max(1, t1 - t0);
  return (
    <section className="weft-timeline" aria-label="Timeline">
      {timed.map((s) => {
        const a = Date.parse(s.start!);
        const b = s.end === undefined ? t1 : Date.parse(s.end);
        return (
          <div className="weft-timeline-row" key={s.instanceId} data-instance={s.instanceId}>
            <span className="weft-timeline-label" title={s.instanceId}>
              {s.compensates !== undefined ? `↶ ${s.compensates}` : s.name}
            </span>
            <span className="weft-timeline-track">
              <span
                className={`weft-timeline-bar status-${s.status}${s.compensates !== undefined ? ' compensation' : ''}`}
                style={{
                  left: `${((a - t0) / width) * 100}%`,
                  width: `${((b - a) / width) * 100}%`,
                }}
                title={`${s.instanceId}: ${s.status}, ${formatDuration(durationMs(s))}`}
              />
            </span>
          </div>
        );
      })}
    </section>
  );
}

function parsePayload(text: string): unknown {
  return text.trim() === '' ? undefined : JSON.parse(text);
}

/** Cancel, re-run with the same input, and the flow's signals, updates and queries. */
function Controls({ run, input }: { run: RunView; input: unknown }) {
  const flow = useDesigner((s) => s.value);
  const messages = useMemo(() => declaredMessages(flow), [flow]);
  const [choice, setChoice] = useState(0);
  const chosen = messages[Math.min(choice, messages.length - 1)];
  const [payload, setPayload] = useState<string | undefined>();
  const [answer, setAnswer] = useState<string | undefined>();
  const status = runStatusAt(run.events, run.events.length)?.status ?? 'running';
  const open = status === 'running' || status === 'stuck';
  const text =
    payload ?? (chosen?.skeleton === undefined ? '' : JSON.stringify(chosen.skeleton, null, 1));
  return (
    <div>
      <div className="weft-run-controls">
        <button
          type="button"
          disabled={!open}
          onClick={() => void cancelRun()}
          title="Cancel this run"
        >
          Cancel run
        </button>
        <button
          type="button"
          disabled={input === undefined}
          onClick={() => void startRun(input)}
          title="Run again with the same input"
        >
          Re-run
        </button>
      </div>
      {chosen && (
        <form
          className="weft-message-form"
          aria-label="Send a message to this run"
          onSubmit={(e) => {
            e.preventDefault();
            setAnswer(undefined);
            let body: unknown;
            try {
              body = parsePayload(text);
            } catch (err) {
              setAnswer(`Not JSON: ${(err as Error).message}`);
              return;
            }
            sendMessage(chosen.kind, chosen.name, body)
              .then((result) =>
                setAnswer(chosen.kind === 'signal' ? 'Sent.' : JSON.stringify(result, null, 1)),
              )
              .catch((err: Error) => setAnswer(`Failed: ${err.message}`));
          }}
        >
          <select
            aria-label="Message"
            value={Math.min(choice, messages.length - 1)}
            onChange={(e) => {
              setChoice(Number(e.target.value));
              setPayload(undefined);
              setAnswer(undefined);
            }}
          >
            {messages.map((m, i) => (
              <option key={`${m.kind}:${m.name}`} value={i}>
                {m.kind} {m.name}
              </option>
            ))}
          </select>
          {chosen.kind !== 'query' && (
            <textarea
              aria-label="Payload (JSON)"
              rows={3}
              value={text}
              onChange={(e) => setPayload(e.target.value)}
            />
          )}
          <button type="submit">
            {chosen.kind === 'query' ? 'Run query' : `Send ${chosen.kind}`}
          </button>
          {answer !== undefined && (
            <output className="weft-json" aria-label="Answer">
              {answer}
            </output>
          )}
        </form>
      )}
    </div>
  );
}

export function RunDetail({ run, count }: { run: RunView; count: number }) {
  const spans = useMemo(() => spansAt(run.events, count), [run.events, count]);
  const first = run.events.find((e) => e.event === 'run');
  const input = first?.event === 'run' ? first.data.input : undefined;
  const end = runStatusAt(run.events, count);
  const lastTime = run.events[count - 1]?.data.time;
  return (
    <div className="weft-run-detail">
      <div>
        {input !== undefined && (
          <details open>
            <summary>Input</summary>
            <Json value={input} label="Run input" />
          </details>
        )}
        {end?.output !== undefined && (
          <details open>
            <summary>Output</summary>
            <Json value={end.output} label="Run output" />
          </details>
        )}
        <Controls run={run} input={input} />
      </div>
      <div>
        <StepDetail spans={spans} />
        <details open>
          <summary>Timeline</summary>
          <Timeline spans={spans} now={lastTime ? Date.parse(lastTime) : 0} />
        </details>
      </div>
    </div>
  );
}
