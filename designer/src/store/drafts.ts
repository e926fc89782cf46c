/**
 * Local drafts: the unsaved text of each flow, kept in localStorage so a reload, a crash or a
 * closed tab does not lose it. One draft per flow, keyed by where the flow lives; the file on
 * the server is never touched until the user saves.
 */
const PREFIX = 'weft.draft:';

export interface Draft {
  text: string;
  /** The saved text the draft was edited from: when the file differs now, it changed meanwhile. */
  base: string;
  /** When the draft was last written (ISO time). */
  savedAt: string;
}

/** A server flow by its path; a file from disk or a new flow by its name. */
export function draftKey(source: { path?: string | undefined; name: string }): string {
  return source.path !== undefined
    ? `${PREFIX}flows/${source.path}`
    : `${PREFIX}local/${source.name}`;
}

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage disabled (privacy mode): no drafts, nothing breaks
  }
}

export function readDraft(key: string): Draft | undefined {
  const raw = storage()?.getItem(key);
  if (!raw) return undefined;
  try {
    const d = JSON.parse(raw) as Partial<Draft>;
    if (typeof d.text !== 'string' || typeof d.base !== 'string') return undefined;
    return { text: d.text, base: d.base, savedAt: typeof d.savedAt === 'string' ? d.savedAt : '' };
  } catch {
    return undefined;
  }
}

export function writeDraft(key: string, text: string, base: string): void {
  try {
    storage()?.setItem(key, JSON.stringify({ text, base, savedAt: new Date().toISOString() }));
  } catch {
    // Quota exceeded: the edit is still in the page; only the crash copy is missing.
  }
}

export function removeDraft(key: string): void {
  storage()?.removeItem(key);
}

const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** Forgets drafts nobody came back to for a month, so they do not fill the browser's storage. */
export function pruneDrafts(now = Date.now()): void {
  const s = storage();
  if (!s) return;
  const keys: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const key = s.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  for (const key of keys) {
    const d = readDraft(key);
    const at = d ? Date.parse(d.savedAt) : Number.NaN;
    if (!d || Number.isNaN(at) || now - at > MAX_AGE_MS) s.removeItem(key);
  }
}
