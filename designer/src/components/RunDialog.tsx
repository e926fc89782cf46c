import { useState } from 'react';
import { startRun } from '../run';
import { useDesigner } from '../store';
import { Modal } from './Modal';
import { parseLoose, type Schema, SchemaField } from './schema-form';

/** The Run button's form, generated from the flow's `input` schema, with a raw JSON view. */
export function RunDialog({ onClose }: { onClose(): void }) {
  const value = useDesigner((s) => s.value) as { input?: unknown } | undefined;
  const schema =
    value?.input && typeof value.input === 'object' ? (value.input as Schema) : undefined;
  const [input, setInput] = useState<Record<string, unknown>>({});
  const [raw, setRaw] = useState('{}');
  const [useRaw, setUseRaw] = useState(!schema?.properties);
  const [error, setError] = useState<string | undefined>();
  const submit = () => {
    let payload: unknown = input;
    if (useRaw) {
      try {
        payload = raw.trim() === '' ? {} : JSON.parse(raw);
      } catch {
        setError('The input is not valid JSON.');
        return;
      }
    }
    void startRun(payload);
    onClose();
  };
  return (
    <Modal labelledBy="run-title" onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2 id="run-title">Run this flow</h2>
        {schema?.properties !== undefined && (
          <label className="weft-inline">
            <input type="checkbox" checked={useRaw} onChange={(e) => setUseRaw(e.target.checked)} />{' '}
            Edit as JSON
          </label>
        )}
        {!useRaw && schema ? (
          <SchemaField
            root={schema}
            schema={schema}
            path={[]}
            label="input"
            value={input}
            onCommit={(path, v) => {
              const next = { ...input };
              const key = path[0];
              if (key === undefined) return;
              if (v === undefined) delete next[String(key)];
              else next[String(key)] = typeof v === 'string' ? (parseLoose(v) ?? v) : v;
              setInput(next);
            }}
          />
        ) : (
          <textarea
            aria-label="Run input as JSON"
            className="weft-input"
            rows={8}
            value={raw}
            onChange={(e) => setRaw(e.target.value)}
          />
        )}
        {error && (
          <div className="weft-field-error" role="alert">
            {error}
          </div>
        )}
        <div className="weft-actions">
          <button type="submit" className="primary" aria-label="Start the run">
            Start
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
