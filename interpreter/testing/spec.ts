/**
 * A test file as data: the shape schema/flow-test.schema.json describes, after validation. The
 * schema is the source of truth; these types mirror it for the loader and the runner.
 */

export type Duration = string | number;

export interface MockError {
  type: string;
  message?: string;
  details?: unknown;
  nonRetryable?: boolean;
}

/** What one attempt of a mocked activity does. */
export interface MockOutcome {
  result?: unknown;
  error?: MockError;
  delay?: Duration;
}

export interface Mock extends MockOutcome {
  /** One outcome per attempt; the last one repeats. */
  attempts?: MockOutcome[];
}

export type Mocks = Record<string, Mock>;

export interface TestEvent {
  at?: Duration;
  signal?: string;
  update?: string;
  query?: string;
  cancel?: true;
  payload?: unknown;
  expect?: unknown;
  rejected?: boolean;
}

export const RUN_STATUSES = ['completed', 'failed', 'cancelled', 'timedOut', 'terminated'] as const;
export type ExpectedStatus = (typeof RUN_STATUSES)[number];

export interface Expectation {
  status?: ExpectedStatus;
  output?: unknown;
  error?: Record<string, unknown>;
  path?: string[];
  notRun?: string[];
  vars?: Record<string, unknown>;
  assert?: string[];
}

export interface TestCase {
  name: string;
  input?: unknown;
  mocks?: Mocks;
  events?: TestEvent[];
  timeout?: Duration;
  expect?: Expectation;
}

export interface TestFileSpec {
  flow?: string;
  plugins?: string[];
  mocks?: Mocks;
  timeout?: Duration;
  cases: TestCase[];
}
