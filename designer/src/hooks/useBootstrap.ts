import { useEffect } from 'react';
import { api } from '../api';
import { markLoadStart, perf } from '../perf';
import { loadManifest, openFromServer, openLocalFile } from '../run';
import { useDesigner } from '../store';

/**
 * Start-up: the manifest (palette, validation), then `?flow=<path>` from the server. Files
 * dropped on the window open too. `window.__weft.load(text)` opens text directly (bench, tests).
 */
export function useBootstrap(): void {
  useEffect(() => {
    const p = perf();
    p.load = (text: string, name = 'bench.flow.yaml') => {
      markLoadStart();
      useDesigner.getState().open(text, { name });
    };
    p.store = useDesigner;
    const flow = new URLSearchParams(window.location.search).get('flow');
    // Both requests go at once; the flow opens once the manifest is known, so its first
    // validation already checks activity names. Without a server the app still starts with an
    // empty flow.
    const reading = flow ? api.readFlow(flow) : undefined;
    // Its failure is reported by openFromServer, which awaits it.
    reading?.catch(() => undefined);
    void loadManifest(flow ?? undefined)
      .catch(() => undefined)
      .finally(() => {
        if (flow) void openFromServer(flow, false, reading);
        else {
          // The empty flow of `/` is opened like any other, so its draft is offered back too.
          const s = useDesigner.getState();
          if (s.loadSeq === 0 && s.text === s.savedText) s.open(s.text, s.source);
        }
      });
    const onDragOver = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      e.preventDefault();
      void openLocalFile(file);
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}
