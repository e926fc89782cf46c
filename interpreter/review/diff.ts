import { stepLabel } from '../../designer/src/graph/labels';
import { canonicalJson, type SourceMap } from '../dsl';
import {
  bodyStepLists,
  childListsOf,
  listLabel,
  parsePointer,
  type StepKind,
  stepIdOf,
  stepKindOf,
  toPointer,
} from '../model';
import type { StepMark } from './mermaid';

/**
 * What changed between two versions of a flow, in the terms a reviewer thinks in: steps added,
 * removed, moved and changed (with the options that changed), flow settings, and what it means
 * for runs already going. Steps are matched by explicit id first, then by content, then by kind
 * and label, then by position, so inserting a step does not make every step after it "changed".
 */

export interface FlowSide {
  file: string;
  value: unknown;
  sourceMap: SourceMap;
}

export interface FieldChange {
  /** Path inside the step (or the flow's settings): `['timeouts', 'startToClose']`. */
  path: string[];
  before?: unknown;
  after?: unknown;
}

export interface StepChange {
  change: 'added' | 'removed' | 'moved' | 'changed';
  /** The step's id (explicit or derived) in the version it is reported from. */
  step: string;
  label: string;
  kind?: StepKind;
  /** Where it is reported: the new file, or the old one for a removed step. */
  file: string;
  line: number;
  col: number;
  pointer: string;
  /** The list it sits in (`steps`, `then of check`, `signal approve`) and its place there. */
  where: string;
  /** Moved steps: where it was. */
  from?: string;
  /** Changed (and moved) steps: the options that changed. */
  fields?: FieldChange[];
}

export interface SettingChange extends FieldChange {
  file: string;
  line: number;
  col: number;
}

export interface FlowDiff {
  old: { file: string; flow?: string };
  new: { file: string; flow?: string };
  /** Same flow as data: only comments, formatting or key order differ. */
  identical: boolean;
  steps: StepChange[];
  settings: SettingChange[];
  /** Activities the new version calls that the old one did not: workers need their plugins. */
  newActivities: string[];
  /** What the change means for runs started on the old version (they keep it: say so). */
  runningFlows: string;
  /** New-version step pointer -> mark, for a picture of the diff. */
  marks: Map<string, StepMark>;
}

interface StepInfo {
  pointer: string;
  body: string;
  id: string;
  explicit: boolean;
  kind?: StepKind;
  label: string;
  list: string;
  container?: string;
  branch: string;
  where: string;
  index: number;
  own: Record<string, unknown>;
  content: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function clone(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

/** Removes the value at `path` (the nested step lists, which are compared step by step). */
function drop(at: unknown, path: readonly (string | number)[]): void {
  let cur = at;
  for (const token of path.slice(0, -1)) {
    if (!isRecord(cur) && !Array.isArray(cur)) return;
    cur = (cur as Record<string, unknown>)[String(token)];
  }
  const last = path[path.length - 1];
  if (last !== undefined && (isRecord(cur) || Array.isArray(cur))) {
    delete (cur as Record<string, unknown>)[String(last)];
  }
}

function childFlows(flow: unknown): Record<string, unknown> {
  return isRecord(flow) && isRecord(flow.flows) ? flow.flows : {};
}

function laneName(segments: readonly (string | number)[]): string {
  const [first, name] = segments;
  if (first === 'steps' || first === 'onCancel') return String(first);
  return `${first === 'signals' ? 'signal' : 'update'} ${String(name)}`;
}

function collectSteps(flow: unknown): StepInfo[] {
  const out: StepInfo[] = [];
  const bodies: [string, unknown][] = [['', flow]];
  for (const [name, body] of Object.entries(childFlows(flow))) bodies.push([name, body]);
  for (const [body, root] of bodies) {
    const base = body === '' ? '' : toPointer(['flows', body]);
    const prefix = body === '' ? '' : `flows.${body}: `;
    const walk = (
      list: unknown,
      listPointer: string,
      container: string | undefined,
      branch: string,
      where: string,
    ): void => {
      if (!Array.isArray(list)) return;
      list.forEach((step, index) => {
        const pointer = `${listPointer}/${index}`;
        const kind = stepKindOf(step);
        const rec = isRecord(step) ? step : {};
        const id = stepIdOf(step, parsePointer(pointer.slice(base.length)));
        const own = (clone(rec) ?? {}) as Record<string, unknown>;
        const lists = kind ? childListsOf(kind, rec) : [];
        for (const found of lists) drop(own, found.path);
        delete own.id;
        out.push({
          pointer,
          body,
          id,
          explicit: typeof rec.id === 'string' && rec.id !== '',
          ...(kind ? { kind } : {}),
          label: stepLabel(kind, rec, id),
          list: listPointer,
          ...(container === undefined ? {} : { container }),
          branch,
          where,
          index,
          own,
          content: `${kind ?? ''}\0${canonicalJson(own)}`,
        });
        for (const found of lists) {
          walk(
            found.list,
            pointer + toPointer(found.path),
            pointer,
            found.path.join('/'),
            `${prefix}${listLabel(found)} of ${id}`,
          );
        }
      });
    };
    for (const lane of bodyStepLists(root)) {
      const key = lane.segments.join('/');
      walk(
        lane.steps,
        base + toPointer(lane.segments),
        undefined,
        key,
        prefix + laneName(lane.segments),
      );
    }
  }
  return out;
}

/** Every leaf that differs; a key present on one side only is one change, not its leaves. */
function diffValues(a: unknown, b: unknown, path: string[], out: FieldChange[]): void {
  if (canonicalJson(a) === canonicalJson(b)) return;
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      diffValues(a[key], b[key], [...path, key], out);
    }
    return;
  }
  const change: FieldChange = { path };
  if (a !== undefined) change.before = a;
  if (b !== undefined) change.after = b;
  out.push(change);
}

/** The flow's own settings (everything but its step lists), for one body. */
function settingsOf(body: unknown): Record<string, unknown> {
  const own = (clone(isRecord(body) ? body : {}) ?? {}) as Record<string, unknown>;
  delete own.steps;
  delete own.onCancel;
  delete own.flows;
  for (const key of ['signals', 'updates']) {
    const handlers = own[key];
    if (isRecord(handlers))
      for (const h of Object.values(handlers)) if (isRecord(h)) delete h.steps;
  }
  return own;
}

/**
 * Indices (into `seq`) of the heaviest increasing subsequence: the steps that kept their order.
 * Weights break ties the way a reviewer would: when either the named step or the `set` beside it
 * could have moved, the one without an id of its own did.
 */
function keptInOrder(seq: number[], weight: number[]): Set<number> {
  const best: number[] = [];
  const prev: number[] = [];
  for (let i = 0; i < seq.length; i++) {
    best[i] = weight[i]!;
    prev[i] = -1;
    for (let j = 0; j < i; j++) {
      if (seq[j]! < seq[i]! && best[j]! + weight[i]! > best[i]!) {
        best[i] = best[j]! + weight[i]!;
        prev[i] = j;
      }
    }
  }
  let k = -1;
  for (let i = 0; i < seq.length; i++) if (k < 0 || best[i]! > best[k]!) k = i;
  const keep = new Set<number>();
  while (k >= 0) {
    keep.add(k);
    k = prev[k]!;
  }
  return keep;
}

function activitiesOf(steps: StepInfo[]): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string') out.add(v);
  };
  for (const s of steps) {
    add(s.own.activity);
    if (isRecord(s.own.compensate)) add(s.own.compensate.activity);
  }
  return out;
}

function flowName(flow: unknown): string | undefined {
  return isRecord(flow) && typeof flow.flow === 'string' ? flow.flow : undefined;
}

export function diffFlows(before: FlowSide, after: FlowSide): FlowDiff {
  const olds = collectSteps(before.value);
  const news = collectSteps(after.value);
  const match = new Map<StepInfo, StepInfo>(); // new -> old
  const taken = new Set<StepInfo>();
  const pair = (n: StepInfo, o: StepInfo) => {
    match.set(n, o);
    taken.add(o);
  };
  // Each pass keys a step; a new step pairs with an unmatched old one of the same key (and body),
  // preferring the same place, then the same list. Undefined: the pass does not apply.
  const passes: ((s: StepInfo) => string | undefined)[] = [
    (s) => (s.explicit ? `id\0${s.id}` : undefined),
    (s) => s.content,
    (s) => `${s.kind ?? ''}\0${s.label}`,
    (s) => `${s.kind ?? ''}\0${s.pointer}`,
  ];
  for (const keyOf of passes) {
    const buckets = new Map<string, StepInfo[]>();
    for (const o of olds) {
      const key = taken.has(o) ? undefined : keyOf(o);
      if (key === undefined) continue;
      const full = `${o.body}\0${key}`;
      const bucket = buckets.get(full);
      if (bucket) bucket.push(o);
      else buckets.set(full, [o]);
    }
    for (const n of news) {
      if (match.has(n)) continue;
      const key = keyOf(n);
      if (key === undefined) continue;
      const candidates = (buckets.get(`${n.body}\0${key}`) ?? []).filter((o) => !taken.has(o));
      const best =
        candidates.find((o) => o.where === n.where && o.index === n.index) ??
        candidates.find((o) => o.where === n.where) ??
        candidates[0];
      if (best) pair(n, best);
    }
  }
  const newOf = new Map([...match].map(([n, o]) => [o.pointer, n.pointer]));
  const at = (side: FlowSide, pointer: string) => side.sourceMap.position(pointer);

  const steps: StepChange[] = [];
  const marks = new Map<string, StepMark>();
  const entry = (
    change: StepChange['change'],
    s: StepInfo,
    side: FlowSide,
    pointer = s.pointer,
  ): StepChange => {
    const pos = at(side, pointer);
    const e: StepChange = {
      change,
      step: s.id,
      label: s.label,
      file: side.file,
      line: pos.line,
      col: pos.col,
      pointer: s.pointer,
      where: `${s.where} #${s.index + 1}`,
    };
    if (s.kind) e.kind = s.kind;
    return e;
  };

  // Moved: to another list (a container that is not the old one's match, another branch), or
  // out of order among the steps that stayed in the same list.
  const movedAcross = (n: StepInfo, o: StepInfo): boolean =>
    o.branch !== n.branch ||
    (o.container === undefined
      ? n.container !== undefined
      : newOf.get(o.container) !== n.container);
  const moved = new Set<StepInfo>();
  const byList = new Map<string, StepInfo[]>();
  for (const n of news) {
    const o = match.get(n);
    if (!o) continue;
    if (movedAcross(n, o)) moved.add(n);
    else byList.set(n.list, [...(byList.get(n.list) ?? []), n]);
  }
  for (const list of byList.values()) {
    const keep = keptInOrder(
      list.map((n) => match.get(n)!.index),
      list.map((n) => (n.explicit ? 3 : n.kind === 'activity' ? 2 : 1)),
    );
    list.forEach((n, i) => {
      if (!keep.has(i)) moved.add(n);
    });
  }

  const bodiesBefore = new Set(['', ...Object.keys(childFlows(before.value))]);
  const bodiesAfter = new Set(['', ...Object.keys(childFlows(after.value))]);
  for (const n of news) {
    const o = match.get(n);
    if (!o) {
      // A whole new child flow is one setting change below, not a list of its steps.
      if (!bodiesBefore.has(n.body)) continue;
      steps.push(entry('added', n, after));
      marks.set(n.pointer, 'added');
      continue;
    }
    const fields: FieldChange[] = [];
    if ((n.explicit || o.explicit) && n.id !== o.id) {
      fields.push({
        path: ['id'],
        ...(o.explicit ? { before: o.id } : {}),
        ...(n.explicit ? { after: n.id } : {}),
      });
    }
    diffValues(o.own, n.own, [], fields);
    if (moved.has(n)) {
      const e = entry('moved', n, after);
      e.from = `${o.where} #${o.index + 1}`;
      if (fields.length > 0) e.fields = fields;
      steps.push(e);
      marks.set(n.pointer, 'moved');
    } else if (fields.length > 0) {
      const first = fields[0]!.path;
      const e = entry(
        'changed',
        n,
        after,
        first[0] === 'id' ? n.pointer : n.pointer + toPointer(first),
      );
      e.fields = fields;
      steps.push(e);
      marks.set(n.pointer, 'changed');
    }
  }
  for (const o of olds) {
    if (taken.has(o) || !bodiesAfter.has(o.body)) continue;
    steps.push(entry('removed', o, before));
  }

  const settings: SettingChange[] = [];
  const changes: { path: string[]; change: FieldChange }[] = [];
  const fieldsTop: FieldChange[] = [];
  diffValues(settingsOf(before.value), settingsOf(after.value), [], fieldsTop);
  for (const f of fieldsTop) changes.push({ path: f.path, change: f });
  for (const name of new Set([...bodiesBefore, ...bodiesAfter])) {
    if (name === '') continue;
    const path = ['flows', name];
    if (!bodiesBefore.has(name) || !bodiesAfter.has(name)) {
      const f: FieldChange = { path };
      if (bodiesBefore.has(name)) f.before = `child flow ${name}`;
      if (bodiesAfter.has(name)) f.after = `child flow ${name}`;
      changes.push({ path, change: f });
      continue;
    }
    const fields: FieldChange[] = [];
    diffValues(
      settingsOf(childFlows(before.value)[name]),
      settingsOf(childFlows(after.value)[name]),
      path,
      fields,
    );
    for (const f of fields) changes.push({ path: f.path, change: f });
  }
  for (const { path, change } of changes) {
    const side = change.after === undefined ? before : after;
    const pos = at(side, toPointer(path));
    settings.push({ ...change, file: side.file, line: pos.line, col: pos.col });
  }

  const oldName = flowName(before.value);
  const newName = flowName(after.value);
  const olderActivities = activitiesOf(olds);
  const newActivities = [...activitiesOf(news)].filter((a) => !olderActivities.has(a)).sort();
  const notes = [
    'Running flows are not affected: each run carries the compiled definition it started with (pinned per run; its hash is the memo field weftHash), so runs started on the old version finish on it, and only runs started after the change use the new one.',
  ];
  if (oldName !== newName) {
    notes.push(
      `The flow's name changed (${oldName} → ${newName}): new runs start under workflow type ${newName}, and runs of ${oldName} keep their type.`,
    );
  }
  const identical = canonicalJson(before.value) === canonicalJson(after.value);
  return {
    old: { file: before.file, ...(oldName === undefined ? {} : { flow: oldName }) },
    new: { file: after.file, ...(newName === undefined ? {} : { flow: newName }) },
    identical,
    steps,
    settings,
    newActivities,
    runningFlows: notes.join(' '),
    marks,
  };
}

function show(v: unknown): string {
  if (v === undefined) return '(none)';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

export function describeField(f: FieldChange): string {
  const name = f.path.length === 0 ? '(value)' : f.path.join('.');
  if (f.before === undefined) return `${name} added: ${show(f.after)}`;
  if (f.after === undefined) return `${name} removed (was ${show(f.before)})`;
  return `${name}: ${show(f.before)} → ${show(f.after)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function diffSummary(d: FlowDiff): string {
  if (d.identical) return 'no change to the flow (only comments, formatting or key order differ)';
  const count = (c: StepChange['change']) => d.steps.filter((s) => s.change === c).length;
  const parts = [
    `${plural(count('added'), 'step')} added`,
    `${count('removed')} removed`,
    `${count('moved')} moved`,
    `${count('changed')} changed`,
    `${plural(d.settings.length, 'flow setting')} changed`,
  ];
  return parts.join(', ');
}

function stepText(s: StepChange): string {
  const what = s.label === s.step ? s.step : `${s.step} (${s.label})`;
  const fields = s.fields ? `: ${s.fields.map(describeField).join('; ')}` : '';
  switch (s.change) {
    case 'added':
      return `${what} in ${s.where}`;
    case 'removed':
      return `${what} from ${s.where}`;
    case 'moved':
      return `${what} from ${s.from} to ${s.where}${fields}`;
    default:
      return `${what}${fields}`;
  }
}

/** Compiler-style lines (`file:line:col  kind  what`), then the summary and the note on runs. */
export function formatDiffText(d: FlowDiff): string {
  const lines = [`${d.old.file} → ${d.new.file}: ${d.new.flow ?? 'flow'}: ${diffSummary(d)}`];
  for (const s of d.steps) {
    lines.push(`${s.file}:${s.line}:${s.col}  ${s.change.padEnd(7)}  ${stepText(s)}`);
  }
  for (const s of d.settings)
    lines.push(`${s.file}:${s.line}:${s.col}  setting  ${describeField(s)}`);
  if (d.newActivities.length > 0) {
    lines.push(`Workers need plugins for the new activities: ${d.newActivities.join(', ')}.`);
  }
  lines.push(d.runningFlows);
  return `${lines.join('\n')}\n`;
}

/** For a pull request comment: a table of the changes and the note on runs. */
export function formatDiffMarkdown(d: FlowDiff, picture?: string): string {
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [`### ${d.new.flow ?? 'flow'}: ${diffSummary(d)}`, ''];
  if (d.steps.length + d.settings.length > 0) {
    out.push('| change | step | where | details |', '|---|---|---|---|');
    for (const s of d.steps) {
      const details = [s.from ? `from ${s.from}` : '', ...(s.fields ?? []).map(describeField)]
        .filter((x) => x !== '')
        .join('; ');
      out.push(
        `| ${s.change} | \`${cell(s.step)}\` ${cell(s.label === s.step ? '' : s.label)} | ${cell(s.where)} | ${cell(details)} |`,
      );
    }
    for (const s of d.settings)
      out.push(`| setting | | \`${cell(s.path.join('.'))}\` | ${cell(describeField(s))} |`);
    out.push('');
  }
  if (d.newActivities.length > 0) {
    out.push(
      `Workers need plugins for the new activities: ${d.newActivities.map((a) => `\`${a}\``).join(', ')}.`,
      '',
    );
  }
  out.push(`> ${d.runningFlows}`, '');
  if (picture !== undefined) out.push('```mermaid', picture.trimEnd(), '```', '');
  return out.join('\n');
}
