export {
  copyStep,
  deleteStep,
  duplicateStep,
  EditError,
  insertStep,
  moveStep,
  pasteSteps,
  setField,
  WRAP_BRANCH,
  type WrapKind,
  wrapSteps,
} from './edits';
export { yamlPath } from './path';
export { PRINT_OPTIONS, spliceEdit } from './splice';
