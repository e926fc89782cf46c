export { buildBundleFile, interpreterBundle, WORKFLOWS_PATH } from './bundle';
export {
  testClient,
  testConnection,
  testServer,
  uniqueTaskQueue,
  uniqueWorkflowId,
} from './temporal';
export { readFixture, runTestWorkers, startTestWorker, type TestWorker } from './worker';
