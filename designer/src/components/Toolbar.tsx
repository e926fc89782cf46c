import { useEffect, useRef, useState } from 'react';
import { api, type FlowFileEntry } from '../api';
import { download, openFromServer, openLocalFile, save } from '../run';
import { selectDirty, useDesigner } from '../store';
import { RunDialog } from './RunDialog';

export function Toolbar() {
  const source = useDesigner((s) => s.source);
  const dirty = useDesigner(selectDirty);
  const canUndo = useDesigner((s) => s.history.past.length > 0);
  const canRedo = useDesigner((s) => s.history.future.length > 0);
  const dark = useDesigner((s) => s.dark);
  const notice = useDesigner((s) => s.notice);
  const [flows, setFlows] = useState<FlowFileEntry[] | undefined>();
  const [running, setRunning] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api
      .flows()
      .then(setFlows)
      .catch(() => setFlows(undefined));
  }, []);

  return (
    <header className="weft-toolbar" role="toolbar" aria-label="Designer toolbar">
      <strong className="weft-brand">Weft</strong>
      {flows && (
        <select
          aria-label="Open a flow from the server"
          value={source.path ?? ''}
          onChange={(e) => {
            if (e.target.value) void openFromServer(e.target.value);
          }}
        >
          <option value="">{source.path === undefined ? source.name : 'Open a flow…'}</option>
          {flows.map((f) => (
            <option key={f.path} value={f.path}>
              {f.path}
            </option>
          ))}
        </select>
      )}
      <button
        type="button"
        onClick={() => fileInput.current?.click()}
        aria-label="Open a file from disk"
      >
        Open…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".yaml,.yml,.json"
        hidden
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void openLocalFile(f);
          e.target.value = '';
        }}
      />
      <span className="weft-file" aria-live="polite">
        {source.name}
        {dirty ? ' •' : ''}
      </span>
      <button
        type="button"
        onClick={(e) => void save(e.shiftKey).catch(() => undefined)}
        aria-label="Save"
        title="Save (Ctrl+S); Shift+click overwrites a changed file"
        data-dirty={dirty ? 'true' : undefined}
      >
        Save
      </button>
      <button type="button" onClick={download} aria-label="Download as a file">
        Download
      </button>
      <button
        type="button"
        disabled={!canUndo}
        onClick={() => useDesigner.getState().undo()}
        aria-label="Undo"
        title="Undo (Ctrl+Z)"
      >
        ↶
      </button>
      <button
        type="button"
        disabled={!canRedo}
        onClick={() => useDesigner.getState().redo()}
        aria-label="Redo"
        title="Redo (Ctrl+Shift+Z)"
      >
        ↷
      </button>
      <button type="button" className="primary" onClick={() => setRunning(true)} aria-label="Run">
        ▶ Run
      </button>
      <button
        type="button"
        onClick={() => useDesigner.getState().setDark(!dark)}
        aria-label="Dark mode"
        aria-pressed={dark}
      >
        {dark ? '☀' : '☾'}
      </button>
      {notice && (
        <output className={`weft-notice ${notice.kind}`} aria-live="polite">
          {notice.text}
        </output>
      )}
      {running && <RunDialog onClose={() => setRunning(false)} />}
    </header>
  );
}
