/** Opening and saving flows: through `weft serve` (with conflict detection) or as files. */
import { FLOW_FILE } from '../../../interpreter/model';
import { ApiRequestError, api, type SavedDiagnostic } from '../api';
import { markLoadStart } from '../perf';
import { draftKey, type FlowSource, removeDraft, useDesigner } from '../store';

/**
 * Before the open flow is replaced: with unsaved edits, asks. The edits stay as the flow's
 * draft either way, and are offered back when it is opened again.
 */
export function confirmLeave(): boolean {
  const s = useDesigner.getState();
  if (s.text === s.savedText) return true;
  return window.confirm(
    `${s.source.name} has unsaved changes. Open another flow anyway? ` +
      'Your edits are kept as a draft and offered back when you open it again.',
  );
}

function showInUrl(path: string): void {
  const url = new URL(window.location.href);
  url.searchParams.set('flow', path);
  window.history.replaceState(null, '', url);
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** The folder whose activity manifest the page has (a subfolder may declare more). */
let manifestFolder: string | undefined;

function folderOf(path: string | undefined): string {
  const i = path?.lastIndexOf('/') ?? -1;
  return i < 0 || path === undefined ? '' : path.slice(0, i);
}

/**
 * Loads the activity manifest for a flow of the server's folder (the folder's own without one):
 * a subfolder's activities file adds activities that only its flows may call, so the palette
 * and the page's validation follow the open flow's folder.
 */
export async function loadManifest(path?: string): Promise<void> {
  const folder = folderOf(path);
  const manifest = await api.activities(path);
  manifestFolder = folder;
  useDesigner.getState().setManifest(manifest);
}

/** Opens a flow of the server's folder; `ask` first confirms leaving unsaved edits. */
/** `reading`: the file's request when it was sent earlier (at start-up, beside the manifest's). */
export async function openFromServer(
  path: string,
  ask = false,
  reading?: ReturnType<typeof api.readFlow>,
): Promise<void> {
  if (ask && !confirmLeave()) return;
  try {
    // Another folder's flow may call activities this page's manifest does not have.
    const manifest =
      manifestFolder !== undefined && folderOf(path) !== manifestFolder
        ? loadManifest(path).catch(() => undefined)
        : undefined;
    const { text, etag } = await (reading ?? api.readFlow(path));
    await manifest;
    markLoadStart();
    const source: FlowSource = { path, name: baseName(path) };
    if (etag !== undefined) source.etag = etag;
    useDesigner.getState().open(text, source);
    showInUrl(path);
  } catch (err) {
    useDesigner
      .getState()
      .setNotice({ kind: 'error', text: `Cannot open ${path}: ${(err as Error).message}` });
  }
}

export async function openLocalFile(file: File): Promise<void> {
  if (!confirmLeave()) return;
  const text = await file.text();
  markLoadStart();
  useDesigner.getState().open(text, { name: file.name });
}

function errorCount(diagnostics: SavedDiagnostic[]): number {
  return diagnostics.filter((d) => d.severity === 'error').length;
}

/** The status line after a save: a flow with errors is saved, and says it cannot run yet. */
function savedNotice(path: string, diagnostics: SavedDiagnostic[]): void {
  const errors = errorCount(diagnostics);
  useDesigner.getState().setNotice(
    errors === 0
      ? { kind: 'info', text: `Saved ${path}` }
      : {
          kind: 'warning',
          text: `Saved ${path} with ${errors} error${errors === 1 ? '' : 's'}: it cannot run until ${errors === 1 ? 'it is' : 'they are'} fixed.`,
        },
  );
}

/**
 * Saves through PUT with If-Match (the ETag it was opened with; `*` when forced); on a conflict,
 * says so and keeps the local text. A flow with no file on the server yet asks for a name
 * (Save As); without a server to save to, it downloads, and says so.
 */
export async function save(force = false): Promise<boolean> {
  const s = useDesigner.getState();
  const path = s.source.path;
  if (path === undefined) {
    if (s.serverFlows) {
      s.setNameDialog('saveAs');
      return false;
    }
    download();
    s.setNotice({ kind: 'info', text: `No server to save to: downloaded ${s.source.name}.` });
    return true;
  }
  try {
    const saved = await api.saveFlow(path, s.text, force ? '*' : s.source.etag);
    const source: FlowSource = { path, name: s.source.name };
    if (saved.etag !== undefined) source.etag = saved.etag;
    useDesigner.getState().markSaved(s.text, source);
    savedNotice(path, saved.diagnostics);
    return true;
  } catch (err) {
    const conflict =
      err instanceof ApiRequestError &&
      (err.status === 409 || err.status === 412 || err.status === 428);
    useDesigner.getState().setNotice({
      kind: 'error',
      text: conflict
        ? `${path} changed on disk since you opened it. Reload it, or save again with Shift to overwrite.`
        : `Save failed: ${(err as Error).message}`,
    });
    if (!conflict) throw err;
    return false;
  }
}

/** `orders/new-one` -> `orders/new-one.flow.yaml`; a name with a flow or OWS extension stays. */
export function flowPathFor(name: string): string {
  const n = name.trim().replace(/^\/+/, '');
  return FLOW_FILE.test(n) ? n : `${n}.flow.yaml`;
}

/** Why a name cannot be a flow file's, or undefined when it can. */
export function badFlowName(name: string): string | undefined {
  const path = flowPathFor(name);
  const segments = path.split('/');
  const last = (segments.pop() ?? '').replace(FLOW_FILE, '');
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    return 'Use a name inside the flows folder.';
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(last))
    return 'Use letters, digits, _, . and -, starting with a letter or _.';
  return undefined;
}

/** The text of a new flow: block style (or JSON for a .json name), one step, valid as it is. */
export function newFlowText(name: string): string {
  const path = flowPathFor(name);
  const flow = baseName(path).replace(/\.flow\.(ya?ml|json)$/, '');
  if (path.endsWith('.json')) {
    const value = {
      flow,
      description: 'What this flow does.',
      steps: [{ id: 'start', log: `${flow} started` }],
    };
    return `${JSON.stringify(value, null, 2)}\n`;
  }
  return [
    `flow: ${flow}`,
    'description: What this flow does.',
    'steps:',
    '  - id: start',
    `    log: "${flow} started"`,
    '',
  ].join('\n');
}

/** Creating must not overwrite: a 409 means the name is taken. */
function createError(path: string, err: unknown): string {
  if (err instanceof ApiRequestError && (err.status === 409 || err.status === 412))
    return `${path} exists already: choose another name.`;
  return `Cannot create ${path}: ${(err as Error).message}`;
}

/** Saves the open text under a new name in the server's folder; returns an error to show. */
export async function saveAs(name: string): Promise<string | undefined> {
  const s = useDesigner.getState();
  const path = flowPathFor(name);
  try {
    const saved = await api.saveFlow(path, s.text, undefined);
    const source: FlowSource = { path, name: baseName(path) };
    if (saved.etag !== undefined) source.etag = saved.etag;
    // The edits now live in the new file: the old flow's draft of them is not needed.
    removeDraft(draftKey(s.source));
    useDesigner.getState().markSaved(s.text, source);
    showInUrl(path);
    savedNotice(path, saved.diagnostics);
    return undefined;
  } catch (err) {
    return createError(path, err);
  }
}

/** Creates `<name>.flow.yaml` from the template in the server's folder and opens it. */
export async function newFlow(name: string): Promise<string | undefined> {
  const path = flowPathFor(name);
  const text = newFlowText(name);
  try {
    const saved = await api.saveFlow(path, text, undefined);
    const source: FlowSource = { path, name: baseName(path) };
    if (saved.etag !== undefined) source.etag = saved.etag;
    markLoadStart();
    useDesigner.getState().open(text, source);
    showInUrl(path);
    useDesigner.getState().setNotice({ kind: 'info', text: `Created ${path}` });
    return undefined;
  } catch (err) {
    return createError(path, err);
  }
}

export function download(): void {
  const s = useDesigner.getState();
  const blob = new Blob([s.text], { type: 'text/yaml' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = s.source.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
