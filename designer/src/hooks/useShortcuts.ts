import { useEffect } from 'react';
import {
  copySelected,
  deleteSelected,
  duplicateSelected,
  extendSelection,
  moveSelected,
  paste,
  selectNeighbour,
  wrapSelected,
} from '../components/actions';
import { focusStep } from '../components/focus-node';
import { save } from '../run';
import { useDesigner } from '../store';

/** True when a key press belongs to a text field or the YAML editor, not to the canvas. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return (
    el.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) ||
    el.closest('.cm-editor') !== null
  );
}

/**
 * Fields that keep their own, native undo: dialogs' forms and the palette search, which are not
 * part of the flow.
 */
function ownUndo(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return el?.closest?.('dialog, .weft-modal, #palette-search') != null;
}

/**
 * Undo and redo are one history for the canvas, the inspector and the YAML pane, so the keys are
 * read once, before any pane sees them (capture phase). Shift is read from the event, not from
 * the key's letter: Caps Lock and some layouts send a lower-case `z` with Shift held.
 */
function onHistoryKey(e: KeyboardEvent): void {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
  const key = e.key.toLowerCase();
  const redo = (key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey);
  const undo = key === 'z' && !e.shiftKey;
  if (!(redo || undo) || ownUndo(e.target)) return;
  e.preventDefault();
  e.stopPropagation();
  // A field with an uncommitted value commits it first (on blur), so undo takes it back.
  const el = e.target as HTMLElement | null;
  if (el && ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) el.blur();
  const s = useDesigner.getState();
  if (redo) s.redo();
  else s.undo();
}

/**
 * Keyboard shortcuts: Delete, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y, Ctrl+C / Ctrl+V, Ctrl+D, arrows to
 * move the selection, Shift+arrows (or Shift+Enter, Shift+click) to select a run of steps,
 * Alt+arrows to move the step, Alt+Shift+P / Alt+Shift+T to wrap the selection in a parallel / a
 * try, Enter on a focused node to select it, / to search the palette, Ctrl+S to save, Escape to
 * clear the selection.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useDesigner.getState();
      const mod = e.ctrlKey || e.metaKey;
      // An open dialog owns the keyboard; the page behind it is inert.
      if ((e.target as HTMLElement | null)?.closest?.('dialog')) return;
      if (mod && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void save(e.shiftKey).catch(() => undefined);
        return;
      }
      if (typing(e.target)) return;
      const focusedNode = (e.target as HTMLElement | null)?.closest?.('.react-flow__node');
      if (e.key === 'Enter' && focusedNode) {
        const id = focusedNode.getAttribute('data-id');
        if (id && focusedNode.querySelector('[data-step-id]')) {
          if (e.shiftKey && s.selected !== undefined) s.extendSelection(id);
          else s.select(id);
        }
        return;
      }
      const key = e.key.toLowerCase();
      // By the key's position (e.code): with Alt held, macOS types another letter.
      if (e.altKey && e.shiftKey && !mod && (e.code === 'KeyP' || e.code === 'KeyT')) {
        if (s.selected !== undefined) {
          e.preventDefault();
          wrapSelected(e.code === 'KeyP' ? 'parallel' : 'try');
        }
        return;
      }
      if (mod && key === 'c') {
        copySelected();
      } else if (mod && key === 'v') {
        e.preventDefault();
        paste();
      } else if (mod && key === 'd') {
        e.preventDefault();
        duplicateSelected();
      } else if (e.key === 'Delete' || e.key === 'Backspace') {
        if (s.selected !== undefined) {
          e.preventDefault();
          deleteSelected();
        }
      } else if (e.key === '/') {
        e.preventDefault();
        document.getElementById('palette-search')?.focus();
      } else if (e.key === 'Escape') {
        s.select(undefined);
        s.setInsertTarget(undefined);
      } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        e.preventDefault();
        const delta = e.key === 'ArrowUp' ? -1 : 1;
        if (e.altKey) moveSelected(delta);
        else if (e.shiftKey) {
          extendSelection(delta);
          const t = useDesigner.getState();
          focusStep(t.selectionEnd ?? t.selected);
        } else {
          selectNeighbour(delta);
          // Focus follows, so a screen reader announces the step the selection moved to.
          focusStep(useDesigner.getState().selected);
        }
      }
    };
    window.addEventListener('keydown', onHistoryKey, { capture: true });
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onHistoryKey, { capture: true });
      window.removeEventListener('keydown', onKey);
    };
  }, []);
}
