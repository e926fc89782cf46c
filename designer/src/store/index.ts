export { emptyHistory, type History, pushHistory, redoHistory, undoHistory } from './history';
export {
  type NodeStatus,
  type RunEndEvent,
  type RunEvent,
  type RunView,
  runStatusAt,
  type StepEvent,
  type StepRunState,
  statusesAt,
} from './run';
export {
  clipboardKey,
  type DesignerState,
  type FlowSource,
  selectDirty,
  type TextOrigin,
  useDesigner,
} from './store';
