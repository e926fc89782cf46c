export { type Actual, checkOutcome, jsonDiff, type Mismatch, matchValue } from './expect';
export {
  checkTestFile,
  defaultFlowFile,
  type LoadedTestFile,
  type ParsedTestFile,
  parseTestText,
  readTestFile,
} from './load';
export { compiledStepKey, MockBoard, mockedActivities, NOT_MOCKED } from './mocks';
export { junitReport, summaryLine, textReport } from './report';
export { type CaseResult, type FileResult, type RunOptions, runTestFiles } from './runner';
export { type StartTestServerOptions, startTestServer, type TestServer } from './server';
export type * from './spec';
