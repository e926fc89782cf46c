/** Why the cluster tier could not come up. `code` is stable; the message names the missing piece. */
export type ClusterSetupCode =
  | 'WEFT_CLUSTER_GO_MISSING'
  | 'WEFT_CLUSTER_BUILD_FAILED'
  | 'WEFT_CLUSTER_POSTGRES_MISSING'
  | 'WEFT_CLUSTER_POSTGRES_START_FAILED'
  | 'WEFT_CLUSTER_OPENSSL_MISSING'
  | 'WEFT_CLUSTER_SCHEMA_FAILED'
  | 'WEFT_CLUSTER_SERVICE_FAILED'
  | 'WEFT_CLUSTER_NAMESPACE_FAILED';

export class ClusterSetupError extends Error {
  override name = 'ClusterSetupError';
  constructor(
    readonly code: ClusterSetupCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
