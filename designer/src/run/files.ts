/** Opening and saving flows: through `weft serve` (with conflict detection) or as files. */
import { ApiRequestError, api } from '../api';
import { markLoadStart } from '../perf';
import { useDesigner } from '../store';

export async function openFromServer(path: string): Promise<void> {
  try {
    const { text, etag } = await api.readFlow(path);
    markLoadStart();
    const source: { path: string; name: string; etag?: string } = {
      path,
      name: path.split('/').pop() ?? path,
    };
    if (etag !== undefined) source.etag = etag;
    useDesigner.getState().open(text, source);
    const url = new URL(window.location.href);
    url.searchParams.set('flow', path);
    window.history.replaceState(null, '', url);
  } catch (err) {
    useDesigner
      .getState()
      .setNotice({ kind: 'error', text: `Cannot open ${path}: ${(err as Error).message}` });
  }
}

export async function openLocalFile(file: File): Promise<void> {
  const text = await file.text();
  markLoadStart();
  useDesigner.getState().open(text, { name: file.name });
}

/**
 * Saves through PUT with If-Match (the ETag it was opened with; `*` when forced); on a conflict,
 * says so and keeps the local text.
 */
export async function save(force = false): Promise<boolean> {
  const s = useDesigner.getState();
  const path = s.source.path;
  if (path === undefined) {
    download();
    return true;
  }
  try {
    const { etag } = await api.saveFlow(path, s.text, force ? '*' : s.source.etag);
    const source: { path: string; name: string; etag?: string } = { path, name: s.source.name };
    if (etag !== undefined) source.etag = etag;
    useDesigner.getState().markSaved(s.text, source);
    useDesigner.getState().setNotice({ kind: 'info', text: `Saved ${path}` });
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

export function download(): void {
  const s = useDesigner.getState();
  const blob = new Blob([s.text], { type: 'text/yaml' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = s.source.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
