export { cacheDir } from './cache';
export {
  buildTemporalCli,
  builtCliPath,
  cliVersion,
  findTemporalCli,
  TEMPORAL_CLI_VERSION,
  type TemporalBinary,
} from './cli-binary';
export { connectClient, connectWorker } from './connect';
export {
  type DevServerOptions,
  type RunningDevServer,
  startDevServer,
  WEFT_SEARCH_ATTRIBUTES,
} from './dev-server';
export {
  type EnsureServerOptions,
  ensureServer,
  type ServerKind,
  type TemporalServer,
} from './ensure';
export {
  type ConnectionSettings,
  connectionOptionsFromEnv,
  connectOptions,
  type TlsFiles,
} from './env';
export { type TemporalSetupCode, TemporalSetupError } from './errors';
export { ensureJavaTestServer, JAVA_TEST_SERVER_VERSION } from './java-test-server';
export { freePort } from './ports';
export { waitForNamespace } from './readiness';
export { isExecutable, onPath } from './which';
