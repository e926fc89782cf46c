import { Suspense, useEffect, useRef, useState } from 'react';
import { api, type FlowFileEntry } from '../api';
import { confirmLeave, download, openFromServer, openLocalFile, save } from '../run';
import { selectDirty, useDesigner } from '../store';
import { rememberDark } from '../store/theme';
import { RunDialog } from './deferred';
import { NameDialog } from './NameDialog';

export function Toolbar() {
  const source = useDesigner((s) => s.source);
  const dirty = useDesigner(selectDirty);
  const canUndo = useDesigner((s) => s.history.past.length > 0);
  const canRedo = useDesigner((s) => s.history.future.length > 0);
  const dark = useDesigner((s) => s.dark);
  const notice = useDesigner((s) => s.notice);
  const nameDialog = useDesigner((s) => s.nameDialog);
  const [flows, setFlows] = useState<FlowFileEntry[] | undefined>();
  const [running, setRunning] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api
      .flows()
      .then((list) => {
        setFlows(list);
        useDesigner.getState().setServerFlows(true);
      })
      .catch(() => setFlows(undefined));
  }, []);

  // The tab's title carries the unsaved marker too.
  useEffect(() => {
    document.title = `${dirty ? '• ' : ''}${source.name} — Weft`;
  }, [dirty, source.name]);

  return (
    <header className="weft-toolbar" role="toolbar" aria-label="Designer toolbar">
      <strong className="weft-brand">Weft</strong>
      {flows && (
        <select
          aria-label="Open a flow from the server"
          value={source.path ?? ''}
          onChange={(e) => {
            if (e.target.value) void openFromServer(e.target.value, true);
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
      {flows && (
        <button
          type="button"
          onClick={() => {
            if (confirmLeave()) useDesigner.getState().setNameDialog('new');
          }}
          aria-label="New flow"
          title="A new flow file in the server's folder"
        >
          New…
        </button>
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
      <span className="weft-file" aria-live="polite" data-dirty={dirty ? 'true' : undefined}>
        {source.name}
        {dirty && (
          <span className="weft-dirty" title="Unsaved changes">
            {' •'}
            <span className="weft-sr-only"> (unsaved changes)</span>
          </span>
        )}
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
      {flows && (
        <button
          type="button"
          onClick={() => useDesigner.getState().setNameDialog('saveAs')}
          aria-label="Save as"
          title="Save under a new name in the server's folder"
        >
          Save as…
        </button>
      )}
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
        onClick={() => {
          rememberDark(!dark);
          useDesigner.getState().setDark(!dark);
        }}
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
      {running && (
        <Suspense fallback={null}>
          <RunDialog onClose={() => setRunning(false)} />
        </Suspense>
      )}
      {nameDialog && <NameDialog key={nameDialog} mode={nameDialog} />}
    </header>
  );
}
