import { readFile } from 'node:fs/promises';
import { parseFlowText } from '../dsl';
import { FlowsDir } from './flows-dir';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A literal value's search attribute type; expressions and text are Keyword. */
function typeOf(value: unknown): string {
  if (typeof value === 'boolean') return 'Bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Int' : 'Double';
  return 'Keyword';
}

/**
 * The search attributes that the flows under DIR set in `options.searchAttributes` (their own
 * and their child flows'), so the embedded dev server can register them when it starts.
 * Unreadable or invalid files are skipped: validation reports them elsewhere.
 */
export async function flowSearchAttributes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const flows = new FlowsDir(dir);
  let files: { path: string }[];
  try {
    files = await flows.list();
  } catch {
    return out;
  }
  const root = await flows.realRoot();
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(`${root}/${f.path}`, 'utf8');
    } catch {
      continue;
    }
    const value = parseFlowText(text, f.path).value;
    if (!isRec(value)) continue;
    const bodies = [value, ...(isRec(value.flows) ? Object.values(value.flows) : [])];
    for (const body of bodies) {
      if (!isRec(body) || !isRec(body.options) || !isRec(body.options.searchAttributes)) continue;
      for (const [name, v] of Object.entries(body.options.searchAttributes)) {
        if (/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) out[name] ??= typeOf(v);
      }
    }
  }
  return out;
}
