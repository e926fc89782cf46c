export { type ServerBinaries, serverBinaries, TEMPORAL_SERVER_VERSION } from './binaries';
export { type CertPair, makeCa, makeLeaf } from './certs';
export {
  type ClusterState,
  clusterEnv,
  readState,
  service,
  startCluster,
  stopCluster,
  temporalCli,
} from './cluster';
export { type ClusterSetupCode, ClusterSetupError } from './errors';
export { findPostgresBin } from './postgres';
export { SERVICES, type ServiceName, type ServiceSpec, serviceConfig } from './services';
