export {
  copyStep,
  deleteStep,
  duplicateStep,
  EditError,
  insertStep,
  moveStep,
  pasteSteps,
  setField,
} from './edits';
export { yamlPath } from './path';
export { PRINT_OPTIONS, spliceEdit } from './splice';
