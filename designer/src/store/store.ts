import { type Document, parseDocument } from 'yaml';
import { create } from 'zustand';
import type { Diagnostic } from '../../../interpreter/dsl/diagnostics';
import { readJson } from '../../../interpreter/dsl/json-parse';
import { parseYamlSubset } from '../../../interpreter/dsl/yaml-fast';
import type { ActivityManifest } from '../../../interpreter/model';
import { spliceEdit } from '../convert';
import { preparePrinted } from '../convert/splice';
import {
  type FlowGraph,
  flowToGraph,
  type InsertionPoint,
  parentListPointer,
  stepPointerFor,
} from '../graph/graph';
import { recordStage } from '../perf';
import {
  type DesignerDiagnostic,
  isOwsText,
  loadChecker,
  loadedChecker,
  validateOffThread,
  validatesOffThread,
} from '../validate';
import { type Draft, draftKey, readDraft, removeDraft, writeDraft } from './drafts';
import {
  emptyHistory,
  type History,
  pushHistory,
  redoHistory,
  type Snapshot,
  undoHistory,
} from './history';
import { type RunEvent, type RunView, type StepRunState, viewStatuses } from './run';
import { initialDark } from './theme';

export type TextOrigin = 'editor' | 'canvas' | 'undo' | 'redo' | 'load';

/**
 * A problem of an activities file of the server's folder (`weft.activities.yaml`, WEFT070-074)
 * that applies to a flow: positioned in that file (`file`, relative to the folder), not in the
 * flow's text.
 */
export type FolderProblem = Omit<Diagnostic, 'file'> & { file: string };

/** Where the open flow came from, and what saving needs to know. */
export interface FlowSource {
  /** Path relative to `weft serve --flows DIR`; absent for a file from disk or a new flow. */
  path?: string;
  etag?: string;
  /** File name for downloads and the title. */
  name: string;
}

export interface DraftOffer extends Draft {
  /** The file is not what the draft was edited from: it changed since (on disk, elsewhere). */
  changedSince: boolean;
}

export interface DesignerState {
  source: FlowSource;
  /** The text as last saved or opened: `dirty` is text !== savedText. */
  savedText: string;
  text: string;
  /** The last text that parsed, and its value and graph: the canvas draws these. */
  value: unknown;
  graph: FlowGraph;
  /** True while the text does not parse: the canvas keeps the last good graph, marked stale. */
  stale: boolean;
  /**
   * True for a Serverless Workflow (OWS) document: the canvas draws the Weft flow it converts to
   * and is read-only (no YAML to splice an edit into); the text stays editable.
   */
  ows: boolean;
  diagnostics: DesignerDiagnostic[];
  /**
   * The problems of the server folder's activities files that apply to the flow at `path`, as
   * the server last answered (hooks/useFolderProblems asks). They are in those files, not in the
   * text, so the validation above cannot find them; a run is refused while one is an error.
   * Read them with selectFolderProblems: an answer for another flow is not the open flow's.
   */
  folderProblems: { path: string; diagnostics: FolderProblem[] } | undefined;
  /** Step pointer -> messages of the diagnostics inside that step. */
  problems: Map<string, string[]>;
  history: History;
  selected: string | undefined;
  /**
   * The other end of a run of selected steps (Shift+click, Shift+arrow), in the selected step's
   * list; undefined when one step (or none) is selected. See selectedRun().
   */
  selectionEnd: string | undefined;
  /** Where the palette inserts next (set by an edge's "+" button). */
  insertTarget: InsertionPoint | undefined;
  manifest: ActivityManifest | undefined;
  /** Bumped to ask the YAML pane to reveal a line. */
  reveal: { line: number; col: number; seq: number } | undefined;
  run: RunView | undefined;
  statuses: Map<string, StepRunState>;
  /** The open run's step states from its progress query (control and skipped steps). */
  progress: Map<string, StepRunState>;
  setProgress(progress: Map<string, StepRunState>): void;
  /** A one-line message for the status bar (save results, errors). */
  notice: { kind: 'info' | 'warning' | 'error'; text: string } | undefined;
  /** True once the server's flows folder answered: Save can then create files in it. */
  serverFlows: boolean;
  setServerFlows(available: boolean): void;
  /** The name dialog for a new flow or Save As, while it is open. */
  nameDialog: 'new' | 'saveAs' | undefined;
  setNameDialog(dialog: 'new' | 'saveAs' | undefined): void;
  dark: boolean;
  /** Bumped by open(): the canvas fits the view to a newly opened flow. */
  loadSeq: number;
  /** An unsaved draft of the open flow found in local storage, offered back until answered. */
  draftOffer: DraftOffer | undefined;
  /** Replaces the text with the offered draft (one undoable change); the file stays as it is. */
  restoreDraft(): void;
  discardDraft(): void;
  /** The child flow (`flows.<name>`) the canvas shows; undefined for the main flow. */
  body: string | undefined;
  setBody(body: string | undefined): void;

  open(text: string, source: FlowSource): void;
  /** `after`: what the change selects (a canvas edit's new step), for redo to select again. */
  setText(text: string, origin: TextOrigin, after?: string): void;
  /** Applies a structural edit to a fresh Document of the current text; selects what it returns. */
  edit(fn: (doc: Document) => string | undefined): void;
  undo(): void;
  redo(): void;
  select(pointer: string | undefined): void;
  /** Extends the selection to a run from the selected step to `pointer`, in the same list. */
  extendSelection(pointer: string): void;
  setInsertTarget(point: InsertionPoint | undefined): void;
  setManifest(manifest: ActivityManifest): void;
  /**
   * Runs the validator on the current text now (it also runs on its own after each change); once
   * the validator has loaded (loadChecker), synchronously.
   */
  validate(): void;
  revealLine(line: number, col: number): void;
  markSaved(text: string, source: FlowSource): void;
  setNotice(notice: DesignerState['notice']): void;
  startRun(workflowId: string, runId?: string): void;
  addRunEvent(event: RunEvent): void;
  endRunStream(): void;
  setCursor(cursor: number | null): void;
  setDark(dark: boolean): void;
}

const EMPTY = 'flow: untitled\nsteps: []\n';

/**
 * Step pointer -> its diagnostics' messages. A step whose messages did not change keeps its
 * array, so its node does not re-render when a validation elsewhere comes back.
 */
function problemsOf(
  graph: FlowGraph,
  diagnostics: DesignerDiagnostic[],
  prev: Map<string, string[]> = new Map(),
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of diagnostics) {
    const step = stepPointerFor(graph, d.pointer);
    if (step === undefined) continue;
    const list = out.get(step) ?? [];
    list.push(`${d.code}: ${d.message}`);
    out.set(step, list);
  }
  for (const [step, list] of out) {
    const old = prev.get(step);
    if (old && old.length === list.length && old.every((m, i) => m === list[i])) out.set(step, old);
  }
  return out;
}

/**
 * The text's value: strict JSON with JSON.parse, the subset of YAML flows are written in with
 * the CLI's fast reader (many times faster than the \`yaml\` package, the same value), anything
 * else with the \`yaml\` package. Undefined when the text does not parse.
 */
function readValue(text: string): { value: unknown } | undefined {
  const json = /^\s*[{[]/.test(text) ? readJson(text) : undefined;
  if (json) return json;
  const fast = parseYamlSubset(text);
  if (fast) return { value: fast.value };
  const doc = parseDocument(text);
  return doc.errors.length > 0 ? undefined : { value: doc.toJS() };
}

/** Parses and redraws; keeps the last good graph (marked stale) when the text does not parse. */
function redraw(
  text: string,
  prev: Pick<DesignerState, 'value' | 'graph' | 'body'>,
): Pick<DesignerState, 'value' | 'graph' | 'stale' | 'body' | 'ows'> {
  const t0 = performance.now();
  const ows = isOwsText(text);
  const read = ows ? owsValue(text) : readValue(text);
  if (read === 'loading')
    return { value: prev.value, graph: prev.graph, stale: false, body: prev.body, ows };
  if (!read) return { value: prev.value, graph: prev.graph, stale: true, body: prev.body, ows };
  const value = read.value;
  // A child flow that is gone (renamed, deleted) falls back to the main flow.
  const body =
    prev.body !== undefined && childFlows(value).includes(prev.body) ? prev.body : undefined;
  const graph = flowToGraph(value, body === undefined ? {} : { body });
  recordStage('graphMs', performance.now() - t0);
  return { value, graph, stale: false, body, ows };
}

/**
 * An OWS document's converted flow; undefined while it does not convert (its problems say why).
 * The converter loads with the validator (see loadChecker): until then the canvas keeps what it
 * shows, and the document is drawn once the converter is there.
 */
function owsValue(text: string): { value: unknown } | undefined | 'loading' {
  const checker = loadedChecker();
  if (!checker) {
    void loadChecker().then(
      () => {
        const s = useDesigner.getState();
        // The document was opened onto a placeholder graph: a new loadSeq has the canvas fit
        // the view to the converted flow, as it does for a flow that opens at once.
        if (isOwsText(s.text))
          useDesigner.setState({ ...redraw(s.text, s), loadSeq: s.loadSeq + 1 });
      },
      // The next redraw asks again; until then the canvas keeps what it shows.
      () => undefined,
    );
    return 'loading';
  }
  const flow = checker.convertOwsText(text).flow;
  return flow ? { value: flow } : undefined;
}

/** Why the canvas refuses an edit of an OWS document (the banner says the same). */
export const OWS_READ_ONLY =
  'Serverless Workflow document: shown as the Weft flow it converts to; edit the YAML, or `weft import` it to edit on the canvas';

/**
 * Validation runs just after the redraw, not inside it, and in a Web Worker: on a 1,000-step flow
 * it costs more than parsing, drawing and laying out together, and neither the canvas nor the
 * next keystroke should wait for it. Typing waits for a pause; opening and canvas edits validate
 * on the next tick.
 */
let validationSeq = 0;
function scheduleValidation(run: () => void, delay: number): void {
  const seq = ++validationSeq;
  let started = false;
  const later = () => {
    if (started) return;
    started = true;
    setTimeout(() => {
      if (seq === validationSeq) run();
    }, delay);
  };
  // After the next frame, so the redrawn graph paints first; a hidden tab gets no frames, so
  // a timer stands in.
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(later);
  setTimeout(later, 100);
}

/** Validates the current text off the main thread; a reply for an older text is dropped. */
function validateLater(): void {
  // Without a worker (Node, unit tests) it validates now, as validate() does.
  if (!validatesOffThread()) {
    useDesigner.getState().validate();
    return;
  }
  const { text, manifest } = useDesigner.getState();
  void validateOffThread(text, manifest).then(
    ({ diagnostics, ms }) => {
      const s = useDesigner.getState();
      if (s.text !== text || s.manifest !== manifest) return;
      recordStage('validateMs', ms);
      useDesigner.setState({ diagnostics, problems: problemsOf(s.graph, diagnostics, s.problems) });
    },
    () => undefined,
  );
}

/**
 * The yaml Document of the current text, parsed while the page is idle: a canvas edit needs one
 * (the splice keeps comments and spacing through it), and parsing a 1,000-step flow with the
 * \`yaml\` package takes longer than the rest of the edit. An edit takes it (it edits it in place).
 */
let prepared: { text: string; doc: Document } | undefined;
let preparing: ReturnType<typeof setTimeout> | undefined;
/** After typing stops: the parse is one long task, and a keystroke must not wait behind it. */
const PREPARE_AFTER_MS = 1000;

function prepareDocument(text: string): void {
  if (prepared?.text === text) return;
  prepared = undefined;
  clearTimeout(preparing);
  // Not in Node (unit tests): there every edit parses.
  if (typeof requestIdleCallback !== 'function') return;
  preparing = setTimeout(() => {
    requestIdleCallback(
      () => {
        if (useDesigner.getState().text !== text || prepared?.text === text) return;
        const doc = parseDocument(text);
        if (doc.errors.length > 0) return;
        prepared = { text, doc };
        // The splice's printed copy of the text, in a second idle task (each is a long one), if
        // no edit has taken the Document meanwhile: printing an edited one would be wrong.
        if (isJson(useDesigner.getState().source, text)) return;
        requestIdleCallback(
          () => {
            if (prepared?.doc === doc) preparePrinted(text, doc);
          },
          { timeout: 3000 },
        );
      },
      { timeout: 3000 },
    );
  }, PREPARE_AFTER_MS);
}

/** A fresh yaml Document of `text`: the one prepared while idle, else parsed now. */
function documentOf(text: string): Document {
  const ready = prepared?.text === text ? prepared.doc : undefined;
  prepared = undefined;
  return ready ?? parseDocument(text);
}

function clipboardKey(): string {
  return 'weft.clipboard';
}

export { clipboardKey };

/** The pointer if it still names a step of the drawn graph, else undefined. */
function stillAStep(graph: FlowGraph, pointer: string | undefined): string | undefined {
  return pointer !== undefined && graph.stepIds.has(pointer) ? pointer : undefined;
}

/** Undo and redo: the snapshot's text, and its selection when that is still a step. */
function restore(history: History, snapshot: Snapshot, origin: 'undo' | 'redo'): void {
  useDesigner.setState({ history, insertTarget: undefined });
  const s = useDesigner.getState();
  s.setText(snapshot.text, origin);
  const graph = useDesigner.getState().graph;
  useDesigner.setState({
    selected: stillAStep(graph, snapshot.selected),
    selectionEnd: undefined,
  });
}

export const useDesigner = create<DesignerState>()((set, get) => ({
  source: { name: 'untitled.flow.yaml' },
  savedText: EMPTY,
  text: EMPTY,
  ...redraw(EMPTY, { value: undefined, graph: flowToGraph(undefined), body: undefined }),
  diagnostics: [],
  folderProblems: undefined,
  problems: new Map(),
  history: emptyHistory(),
  selected: undefined,
  selectionEnd: undefined,
  insertTarget: undefined,
  manifest: undefined,
  reveal: undefined,
  run: undefined,
  statuses: new Map(),
  progress: new Map(),
  notice: undefined,
  dark: initialDark(),
  loadSeq: 0,
  draftOffer: undefined,
  serverFlows: false,
  nameDialog: undefined,

  setServerFlows(available) {
    set({ serverFlows: available });
  },

  setNameDialog(dialog) {
    set({ nameDialog: dialog });
  },

  restoreDraft() {
    const offer = get().draftOffer;
    if (!offer) return;
    set({ draftOffer: undefined });
    get().setText(offer.text, 'load');
  },

  discardDraft() {
    const s = get();
    if (!s.draftOffer) return;
    removeDraft(draftKey(s.source));
    set({ draftOffer: undefined });
  },

  setBody(body) {
    const s = get();
    set({
      ...redraw(s.text, { ...s, body }),
      selected: undefined,
      selectionEnd: undefined,
      insertTarget: undefined,
      loadSeq: s.loadSeq + 1,
    });
    // The same text, so the same diagnostics: only which node they belong to changes.
    const now = get();
    set({ problems: problemsOf(now.graph, now.diagnostics) });
  },

  open(text, source) {
    const s = get();
    // Leaving a flow with unsaved edits keeps them as its draft (the last keystrokes included).
    if (s.text !== s.savedText && s.draftOffer === undefined)
      writeDraft(draftKey(s.source), s.text, s.savedText);
    const key = draftKey(source);
    const draft = readDraft(key);
    if (draft && draft.text === text) removeDraft(key);
    const offer =
      draft && draft.text !== text ? { ...draft, changedSince: draft.base !== text } : undefined;
    set({
      draftOffer: offer,
      loadSeq: s.loadSeq + 1,
      source,
      savedText: text,
      text,
      ...redraw(text, { value: undefined, graph: flowToGraph(undefined), body: undefined }),
      diagnostics: [],
      problems: new Map(),
      history: emptyHistory(),
      selected: undefined,
      selectionEnd: undefined,
      insertTarget: undefined,
      run: undefined,
      statuses: new Map(),
    });
    scheduleValidation(() => validateLater(), 0);
    prepareDocument(text);
  },

  setText(text, origin, after) {
    const s = get();
    if (text === s.text) return;
    const before: Snapshot = { text: s.text, selected: s.selected };
    if (after !== undefined) before.after = after;
    const history =
      origin === 'undo' || origin === 'redo'
        ? s.history
        : pushHistory(s.history, before, origin, Date.now());
    const drawn = redraw(text, s);
    // A selection whose step is gone (deleted, undone, typed away) would leave the inspector
    // with nothing to show.
    const selected = stillAStep(drawn.graph, s.selected);
    // A run of selected steps is a range of indexes, which any change may shift: it ends.
    set({ text, history, ...drawn, selected, selectionEnd: undefined });
    scheduleValidation(() => validateLater(), origin === 'editor' ? 250 : 0);
    prepareDocument(text);
  },

  edit(fn) {
    const s = get();
    // The canvas shows the converted flow: an edit to it has no place in the OWS text.
    if (s.ows) {
      set({ notice: { kind: 'warning', text: OWS_READ_ONLY } });
      return;
    }
    const doc = documentOf(s.text);
    if (doc.errors.length > 0) {
      set({ notice: { kind: 'error', text: 'Fix the YAML first: the text does not parse.' } });
      return;
    }
    try {
      const chosen = fn(doc);
      const after = typeof chosen === 'string' ? chosen : undefined;
      get().setText(serialise(doc, s), 'canvas', after);
      set({
        selected: after ?? get().selected,
        insertTarget: undefined,
      });
    } catch (err) {
      set({ notice: { kind: 'error', text: (err as Error).message } });
    }
  },

  undo() {
    const s = get();
    const r = undoHistory(s.history, { text: s.text, selected: s.selected });
    if (r) restore(r.history, r.snapshot, 'undo');
  },

  redo() {
    const s = get();
    const r = redoHistory(s.history, { text: s.text, selected: s.selected });
    if (r) restore(r.history, r.snapshot, 'redo');
  },

  select(pointer) {
    set({ selected: pointer, selectionEnd: undefined });
  },

  extendSelection(pointer) {
    const anchor = get().selected;
    const sameList =
      anchor !== undefined && parentListPointer(pointer) === parentListPointer(anchor);
    // A step of another list starts a new selection: a run never spans lists.
    if (!sameList) set({ selected: pointer, selectionEnd: undefined });
    else set({ selectionEnd: pointer === anchor ? undefined : pointer });
  },

  setInsertTarget(point) {
    set({ insertTarget: point });
  },

  setManifest(manifest) {
    set({ manifest });
    validateLater();
  },

  validate() {
    const checker = loadedChecker();
    if (!checker) {
      // Without the validator (its chunk did not load) the problems stay as they are.
      void loadChecker().then(
        () => get().validate(),
        () => undefined,
      );
      return;
    }
    const s = get();
    const t0 = performance.now();
    const diagnostics = checker.validateText(s.text, s.manifest);
    recordStage('validateMs', performance.now() - t0);
    set({ diagnostics, problems: problemsOf(s.graph, diagnostics, s.problems) });
  },

  revealLine(line, col) {
    set({ reveal: { line, col, seq: (get().reveal?.seq ?? 0) + 1 } });
  },

  markSaved(text, source) {
    set({ savedText: text, source });
  },

  setNotice(notice) {
    set({ notice });
  },

  startRun(workflowId, runId) {
    const run: RunView = { workflowId, events: [], cursor: null, live: true };
    if (runId !== undefined) run.runId = runId;
    set({ run, statuses: new Map(), progress: new Map() });
  },

  addRunEvent(event) {
    const run = get().run;
    if (!run) return;
    const events = [...run.events, event];
    const next = { ...run, events };
    set({ run: next, statuses: viewStatuses(next, get().progress) });
  },

  endRunStream() {
    const run = get().run;
    if (run) set({ run: { ...run, live: false } });
  },

  setProgress(progress) {
    const run = get().run;
    set({ progress, statuses: run ? viewStatuses(run, progress) : new Map() });
  },

  setCursor(cursor) {
    const run = get().run;
    if (!run) return;
    set({
      run: { ...run, cursor },
      statuses: viewStatuses({ ...run, cursor }, get().progress),
    });
  },

  setDark(dark) {
    set({ dark });
  },
}));

/**
 * A JSON flow stays JSON after a canvas edit (it has no comments to keep); YAML stays YAML, and
 * only the lines of the nodes the edit touched change.
 */
function serialise(doc: Document, s: Pick<DesignerState, 'source' | 'text'>): string {
  return isJson(s.source, s.text)
    ? `${JSON.stringify(doc.toJS(), null, 2)}\n`
    : spliceEdit(s.text, doc);
}

function isJson(source: FlowSource, text: string): boolean {
  return source.name.endsWith('.json') || /^\s*[{[]/.test(text);
}

/** The names of the child flows under `flows:`. */
export function childFlows(value: unknown): string[] {
  const flows = (value as { flows?: unknown } | undefined)?.flows;
  return flows && typeof flows === 'object' && !Array.isArray(flows) ? Object.keys(flows) : [];
}

/** Where "at the end of the flow" is: the insertion point of the edge into End. */
export function endOfFlow(s: Pick<DesignerState, 'graph'>): InsertionPoint {
  const edge = s.graph.edges.find((e) => e.target === '#end');
  return edge?.insert ?? { list: '/steps', index: 0 };
}

const NO_FOLDER_PROBLEMS: FolderProblem[] = [];

/** The activities files' problems for the open flow; none for a flow not from the server. */
export const selectFolderProblems = (s: DesignerState): FolderProblem[] =>
  s.folderProblems !== undefined && s.folderProblems.path === s.source.path
    ? s.folderProblems.diagnostics
    : NO_FOLDER_PROBLEMS;

export const selectDirty = (s: DesignerState): boolean => s.text !== s.savedText;
