export { cancelRun, follow, sendMessage, startRun } from './controller';
export { download, openFromServer, openLocalFile, save } from './files';
