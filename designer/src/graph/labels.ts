/**
 * A step's label on the canvas: its name, else its kind with the argument that tells steps of
 * that kind apart (`set status`, `sleep 5s`, `wait decide ≤ 5s`, an activity's name). Ids such as
 * `steps.6.parallel.branches.email.0` say where a step is, not what it does, so they are shown
 * only on hover and in the inspector.
 */
import type { StepKind } from '../../../interpreter/model';

const MAX = 40;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function short(v: unknown): string {
  const raw = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
  // An expression reads better without its `${ … }` wrapper.
  const m = /^\$\{\s*([\s\S]*?)\s*\}$/.exec(raw.trim());
  const text = (m ? m[1]! : raw).replace(/\s+/g, ' ');
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

function withArg(kind: string, arg: unknown): string {
  return arg === undefined || arg === '' ? kind : `${kind} ${short(arg)}`;
}

function waitLabel(wait: unknown): string {
  const w = isRecord(wait) ? wait : {};
  const on = w.signal ?? w.update ?? w.condition;
  const head = withArg('wait', on);
  return w.timeout === undefined ? head : `${head} ≤ ${short(w.timeout)}`;
}

function argOf(kind: StepKind, step: Record<string, unknown>): unknown {
  const v = step[kind];
  switch (kind) {
    case 'set':
      return isRecord(v) ? Object.keys(v).join(', ') : undefined;
    case 'sleep':
      return isRecord(v) ? (v.until === undefined ? undefined : `until ${short(v.until)}`) : v;
    case 'fail':
      return isRecord(v) ? v.error : v;
    case 'parallel': {
      const branches = isRecord(v) && isRecord(v.branches) ? Object.keys(v.branches) : [];
      return branches.length > 0 ? branches.join(' | ') : undefined;
    }
    case 'try':
      return undefined;
    default:
      return isRecord(v) || Array.isArray(v) ? undefined : v;
  }
}

export function stepLabel(kind: StepKind | undefined, step: unknown, id: string): string {
  const rec = isRecord(step) ? step : {};
  if (typeof rec.name === 'string' && rec.name.trim() !== '') return rec.name;
  if (kind === undefined) return id;
  if (kind === 'wait') return waitLabel(rec.wait);
  if (kind === 'activity') return typeof rec.activity === 'string' ? rec.activity : 'activity';
  return withArg(kind, argOf(kind, rec));
}
