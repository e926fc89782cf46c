/**
 * One undo history for the canvas, the inspector and the text: every change is a snapshot of
 * the text and of the selection at that moment, so undo and redo bring the selection back with
 * the text. Typing in the YAML pane coalesces into one entry per pause, so undo steps back a
 * word, not a key.
 */
export interface Snapshot {
  text: string;
  /** The selected step's pointer then; undefined when nothing was selected. */
  selected: string | undefined;
  /**
   * What the change selected (an inserted step): redo selects it again, even when the user
   * selected something else before undoing.
   */
  after?: string | undefined;
}

export interface History {
  past: Snapshot[];
  future: Snapshot[];
  /** When the last entry was pushed and by whom, for coalescing. */
  lastAt: number;
  lastOrigin: string;
}

export const HISTORY_LIMIT = 200;
const COALESCE_MS = 800;

export function emptyHistory(): History {
  return { past: [], future: [], lastAt: 0, lastOrigin: '' };
}

/** Records that the flow was `before` until now; returns the new history. */
export function pushHistory(h: History, before: Snapshot, origin: string, now: number): History {
  const coalesce = origin === 'editor' && h.lastOrigin === 'editor' && now - h.lastAt < COALESCE_MS;
  const past = coalesce ? h.past : [...h.past, before].slice(-HISTORY_LIMIT);
  return { past, future: [], lastAt: now, lastOrigin: origin };
}

export function undoHistory(
  h: History,
  current: Snapshot,
): { history: History; snapshot: Snapshot } | undefined {
  const snapshot = h.past[h.past.length - 1];
  if (snapshot === undefined) return undefined;
  return {
    snapshot,
    history: {
      past: h.past.slice(0, -1),
      future: [{ ...current, selected: snapshot.after ?? current.selected }, ...h.future],
      lastAt: 0,
      lastOrigin: 'undo',
    },
  };
}

export function redoHistory(
  h: History,
  current: Snapshot,
): { history: History; snapshot: Snapshot } | undefined {
  const snapshot = h.future[0];
  if (snapshot === undefined) return undefined;
  return {
    snapshot,
    history: {
      past: [...h.past, { ...current, after: snapshot.selected }],
      future: h.future.slice(1),
      lastAt: 0,
      lastOrigin: 'redo',
    },
  };
}
