/**
 * One undo history for the canvas and the text: every change is a text snapshot. Typing in the
 * YAML pane coalesces into one entry per pause, so undo steps back a word, not a key.
 */
export interface History {
  past: string[];
  future: string[];
  /** When the last entry was pushed and by whom, for coalescing. */
  lastAt: number;
  lastOrigin: string;
}

export const HISTORY_LIMIT = 200;
const COALESCE_MS = 800;

export function emptyHistory(): History {
  return { past: [], future: [], lastAt: 0, lastOrigin: '' };
}

/** Records that the text was `before` until now; returns the new history. */
export function pushHistory(h: History, before: string, origin: string, now: number): History {
  const coalesce = origin === 'editor' && h.lastOrigin === 'editor' && now - h.lastAt < COALESCE_MS;
  const past = coalesce ? h.past : [...h.past, before].slice(-HISTORY_LIMIT);
  return { past, future: [], lastAt: now, lastOrigin: origin };
}

export function undoHistory(
  h: History,
  current: string,
): { history: History; text: string } | undefined {
  const text = h.past[h.past.length - 1];
  if (text === undefined) return undefined;
  return {
    text,
    history: {
      past: h.past.slice(0, -1),
      future: [current, ...h.future],
      lastAt: 0,
      lastOrigin: 'undo',
    },
  };
}

export function redoHistory(
  h: History,
  current: string,
): { history: History; text: string } | undefined {
  const text = h.future[0];
  if (text === undefined) return undefined;
  return {
    text,
    history: {
      past: [...h.past, current],
      future: h.future.slice(1),
      lastAt: 0,
      lastOrigin: 'redo',
    },
  };
}
