import { useEffect } from 'react';
import {
  type DesignerState,
  draftKey,
  pruneDrafts,
  removeDraft,
  useDesigner,
  writeDraft,
} from '../store';

const DRAFT_DELAY_MS = 300;

/**
 * Keeps the open flow's unsaved text as a local draft (a pause after each change, and at once
 * when the page goes away), drops the draft once the text is saved or back to the saved text,
 * and asks before the page unloads with unsaved edits.
 */
export function useDrafts(): void {
  useEffect(() => {
    pruneDrafts();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const s = useDesigner.getState();
      // A draft still on offer is the user's to answer: it is not overwritten meanwhile.
      if (s.draftOffer !== undefined) return;
      const key = draftKey(s.source);
      if (s.text === s.savedText) removeDraft(key);
      else writeDraft(key, s.text, s.savedText);
    };
    const changed = (s: DesignerState, prev: DesignerState) =>
      s.text !== prev.text || s.savedText !== prev.savedText || s.source !== prev.source;
    const unsubscribe = useDesigner.subscribe((s, prev) => {
      if (!changed(s, prev) || s.draftOffer !== undefined) return;
      if (s.text === s.savedText) {
        flush();
        return;
      }
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(flush, DRAFT_DELAY_MS);
    });
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      flush();
      const s = useDesigner.getState();
      if (s.text === s.savedText) return;
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('pagehide', flush);
    return () => {
      unsubscribe();
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('pagehide', flush);
    };
  }, []);
}
