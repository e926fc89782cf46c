export { type Draft, draftKey, pruneDrafts, readDraft, removeDraft, writeDraft } from './drafts';
export {
  emptyHistory,
  type History,
  pushHistory,
  redoHistory,
  type Snapshot,
  undoHistory,
} from './history';
export {
  type NodeStatus,
  type ProgressStep,
  type RunEndEvent,
  type RunEvent,
  type RunView,
  runStatusAt,
  type StepEvent,
  type StepRunState,
  statusesAt,
  statusesFromProgress,
  viewStatuses,
} from './run';
export { inSelectedRun, type SelectedRun, selectedRun } from './selection';
export {
  childFlows,
  clipboardKey,
  type DesignerState,
  type DraftOffer,
  endOfFlow,
  type FlowSource,
  type FolderProblem,
  OWS_READ_ONLY,
  selectDirty,
  selectFolderProblems,
  type TextOrigin,
  useDesigner,
} from './store';
