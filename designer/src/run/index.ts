export { cancelRun, follow, sendMessage, startRun } from './controller';
export {
  badFlowName,
  confirmLeave,
  download,
  flowPathFor,
  loadManifest,
  newFlow,
  newFlowText,
  openFromServer,
  openLocalFile,
  save,
  saveAs,
} from './files';
