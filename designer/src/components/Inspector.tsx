import { flowSchema } from '../../../interpreter/dsl';
import { stepKindOf } from '../../../interpreter/model';
import { setField, yamlPath } from '../convert';
import { selectedRun, useDesigner } from '../store';
import {
  copySelected,
  deleteSelected,
  duplicateSelected,
  moveSelected,
  paste,
  wrapSelected,
} from './actions';
import { resolve, type Schema, SchemaField } from './schema-form';

const ROOT = flowSchema as Schema;
/** Keys drawn on the canvas (nested step lists) rather than in the form. */
const ON_CANVAS = new Set(['steps']);

function valueAt(value: unknown, pointer: string): unknown {
  let v = value;
  for (const t of yamlPath(pointer)) v = (v as Record<string | number, unknown> | undefined)?.[t];
  return v;
}

/** Flow-level keys shown when no step is selected (lists and handlers are on the canvas). */
const FLOW_KEYS = [
  'flow',
  'version',
  'description',
  'defaults',
  'options',
  'input',
  'vars',
  'output',
];

/** With no step selected: the flow's own settings, from the schema's top-level properties. */
function FlowSettings({ value }: { value: unknown }) {
  const flow = (value ?? {}) as Record<string, unknown>;
  const properties = (ROOT.properties ?? {}) as Record<string, unknown>;
  const commit = (path: (string | number)[], v: unknown) =>
    useDesigner.getState().edit((doc) => {
      setField(doc, '', path, v);
      return undefined;
    });
  return (
    <section className="weft-inspector" aria-label="Inspector">
      <h2>Flow settings</h2>
      <p className="weft-muted">
        Select a step to edit it. Arrow keys move the selection; / searches the palette.
      </p>
      <form onSubmit={(e) => e.preventDefault()} aria-label="Edit the flow's settings">
        {FLOW_KEYS.filter((k) => k in properties).map((k) => (
          <SchemaField
            key={k}
            root={ROOT}
            schema={properties[k]}
            path={[k]}
            label={k}
            value={flow[k]}
            onCommit={commit}
          />
        ))}
      </form>
    </section>
  );
}

/** Looks a path up in the layers (flow defaults over plugin defaults) and says where it came from. */
function inheritedFrom(
  layers: [string, unknown][],
): (path: (string | number)[]) => string | undefined {
  return (path) => {
    for (const [origin, layer] of layers) {
      let v = layer;
      for (const k of path) v = (v as Record<string | number, unknown> | undefined)?.[k];
      if (v !== undefined && (typeof v !== 'object' || Array.isArray(v))) {
        return `${Array.isArray(v) ? v.join(', ') : String(v)} (${origin})`;
      }
    }
    return undefined;
  };
}

/** Wrap in parallel / Wrap in try: for the selected step, or the run of selected steps. */
function WrapButtons() {
  return (
    <>
      <button
        type="button"
        onClick={() => wrapSelected('parallel')}
        title="Wrap in a parallel, as its one branch (Alt+Shift+P)"
      >
        Wrap in parallel
      </button>
      <button
        type="button"
        onClick={() => wrapSelected('try')}
        title="Wrap in a try with an empty catch (Alt+Shift+T)"
      >
        Wrap in try
      </button>
    </>
  );
}

/** A run of two or more selected steps: what can be done to them together. */
function RunSelection({ count }: { count: number }) {
  return (
    <section className="weft-inspector" aria-label="Inspector" data-selected-run={count}>
      <header>
        <h2>{count} steps selected</h2>
        <p className="weft-help">
          Consecutive steps of one list. Shift+click or Shift+↑/↓ changes the run; Escape clears it.
        </p>
        <div className="weft-actions" role="toolbar" aria-label="Step actions">
          <WrapButtons />
        </div>
      </header>
    </section>
  );
}

export function Inspector() {
  const selected = useDesigner((s) => s.selected);
  const runCount = useDesigner((s) => selectedRun(s)?.count ?? 0);
  const value = useDesigner((s) => s.value);
  const manifest = useDesigner((s) => s.manifest);
  const problems = useDesigner((s) =>
    selected === undefined ? undefined : s.problems.get(selected),
  );
  const stepId = useDesigner((s) =>
    selected === undefined ? undefined : s.graph.stepIds.get(selected),
  );
  const run = useDesigner((s) => (stepId === undefined ? undefined : s.statuses.get(stepId)));
  if (selected === undefined) return <FlowSettings value={value} />;
  if (runCount > 1) return <RunSelection count={runCount} />;
  const step = valueAt(value, selected) as Record<string, unknown> | undefined;
  const kind = stepKindOf(step);
  if (!step || !kind) {
    return (
      <section className="weft-inspector" aria-label="Inspector">
        <p className="weft-muted">This step has no kind yet: fix it in the YAML.</p>
      </section>
    );
  }
  const def = resolve(ROOT, { $ref: `#/$defs/${kind}Step` });
  const properties = (def.schema.properties ?? {}) as Record<string, unknown>;
  const required = new Set((def.schema.required as string[] | undefined) ?? []);
  const activity =
    kind === 'activity' ? manifest?.activities.find((a) => a.name === step.activity) : undefined;
  const commit = (path: (string | number)[], v: unknown) =>
    useDesigner.getState().edit((doc) => {
      setField(doc, selected, path, v);
      return selected;
    });
  const flowDefaults = (value as { defaults?: unknown } | undefined)?.defaults;
  const inherited =
    kind === 'activity'
      ? inheritedFrom([
          ['flow defaults', flowDefaults],
          ['plugin defaults', activity?.defaults],
        ])
      : undefined;
  return (
    <section className="weft-inspector" aria-label="Inspector" data-inspecting={stepId}>
      <header>
        <h2>
          {kind} <code>{stepId}</code>
        </h2>
        {def.description && <p className="weft-help">{def.description}</p>}
        <div className="weft-actions" role="toolbar" aria-label="Step actions">
          <button
            type="button"
            onClick={() => moveSelected(-1)}
            aria-label="Move step up"
            title="Move up (Alt+↑)"
          >
            ↑
          </button>
          <button
            type="button"
            onClick={() => moveSelected(1)}
            aria-label="Move step down"
            title="Move down (Alt+↓)"
          >
            ↓
          </button>
          <button
            type="button"
            onClick={duplicateSelected}
            aria-label="Duplicate step"
            title="Duplicate (Ctrl+D)"
          >
            Duplicate
          </button>
          <button type="button" onClick={copySelected} aria-label="Copy step" title="Copy (Ctrl+C)">
            Copy
          </button>
          <button
            type="button"
            onClick={paste}
            aria-label="Paste after this step"
            title="Paste (Ctrl+V)"
          >
            Paste
          </button>
          <WrapButtons />
          <button
            type="button"
            className="danger"
            onClick={deleteSelected}
            aria-label="Delete step"
            title="Delete (Del)"
          >
            Delete
          </button>
        </div>
      </header>
      {problems && (
        <ul className="weft-step-problems" aria-label="Problems of this step">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {run && (
        <p className={`weft-run-line status-${run.status}`}>
          Run: {run.status}
          {run.attempt > 1 ? `, attempt ${run.attempt}` : ''}
          {run.error ? ` — ${run.error}` : ''}
        </p>
      )}
      <form key={selected} onSubmit={(e) => e.preventDefault()} aria-label={`Edit ${kind} step`}>
        {Object.entries(properties).map(([k, s]) => {
          const r = resolve(ROOT, s);
          if (ON_CANVAS.has(r.ref ?? '') || (kind === 'if' && (k === 'then' || k === 'else')))
            return null;
          if (k === 'input' && activity?.input && typeof activity.input === 'object') {
            return (
              <SchemaField
                key={k}
                root={activity.input as Schema}
                schema={activity.input}
                path={[k]}
                label={`input (${activity.name})`}
                value={step[k]}
                onCommit={commit}
                expressions
              />
            );
          }
          return (
            <SchemaField
              key={k}
              root={ROOT}
              schema={s}
              path={[k]}
              label={k}
              value={step[k]}
              required={required.has(k)}
              onCommit={commit}
              {...(inherited ? { inherited } : {})}
            />
          );
        })}
      </form>
    </section>
  );
}
