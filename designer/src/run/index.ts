export { follow, startRun } from './controller';
export { download, openFromServer, openLocalFile, save } from './files';
