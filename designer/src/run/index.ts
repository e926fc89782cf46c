export { cancelRun, follow, sendMessage, startRun } from './controller';
export {
  badFlowName,
  confirmLeave,
  download,
  flowPathFor,
  newFlow,
  newFlowText,
  openFromServer,
  openLocalFile,
  save,
  saveAs,
} from './files';
