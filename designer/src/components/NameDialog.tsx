import { useState } from 'react';
import { badFlowName, flowPathFor, newFlow, saveAs } from '../run';
import { useDesigner } from '../store';
import { Modal } from './Modal';

/** Asks for a flow's name: a new flow from the template, or Save As, in the server's folder. */
export function NameDialog({ mode }: { mode: 'new' | 'saveAs' }) {
  const current = useDesigner((s) => s.source.name);
  const [name, setName] = useState(
    mode === 'saveAs' ? current.replace(/\.flow\.(ya?ml|json)$/, '') : '',
  );
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const close = () => useDesigner.getState().setNameDialog(undefined);
  const problem = name.trim() === '' ? undefined : badFlowName(name);
  const submit = async () => {
    if (name.trim() === '' || problem) {
      setError(problem ?? 'Enter a name.');
      return;
    }
    setBusy(true);
    const failed = mode === 'new' ? await newFlow(name) : await saveAs(name);
    setBusy(false);
    if (failed) setError(failed);
    else close();
  };
  const title = mode === 'new' ? 'New flow' : 'Save as';
  return (
    <Modal labelledBy="name-title" onClose={close}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id="name-title">{title}</h2>
        <label className="weft-field">
          <span>Name</span>
          <input
            name="flow-name"
            className="weft-input"
            data-autofocus
            value={name}
            spellCheck={false}
            aria-invalid={problem || error ? true : undefined}
            aria-describedby="name-help"
            onChange={(e) => {
              setName(e.target.value);
              setError(undefined);
            }}
          />
        </label>
        <p id="name-help" className="weft-muted">
          {name.trim() === ''
            ? 'Saved in the server’s flows folder as <name>.flow.yaml.'
            : `Saved as ${flowPathFor(name)} in the server’s flows folder.`}
        </p>
        {(error ?? problem) && (
          <div className="weft-field-error" role="alert">
            {error ?? problem}
          </div>
        )}
        <div className="weft-actions">
          <button type="submit" className="primary" disabled={busy}>
            {mode === 'new' ? 'Create' : 'Save'}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
