import { readFileSync } from 'node:fs';
import { TemporalSetupError } from './errors';

export interface TlsFiles {
  /** PEM client certificate and key for mTLS. */
  cert?: Buffer;
  key?: Buffer;
  /** PEM CA bundle that signs the server certificate. */
  ca?: Buffer;
  serverName?: string;
}

/** How to reach a Temporal server that someone else runs (a cluster, Temporal Cloud). */
export interface ConnectionSettings {
  address: string;
  namespace: string;
  tls?: TlsFiles | true;
  apiKey?: string;
}

function readPem(env: NodeJS.ProcessEnv, variable: string): Buffer | undefined {
  const path = env[variable];
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    throw new TemporalSetupError(
      'WEFT_BAD_TEMPORAL_ENV',
      `${variable}=${path} cannot be read (${(err as Error).message}); point it at a PEM file.`,
    );
  }
}

/**
 * The server named by TEMPORAL_ADDRESS, with TEMPORAL_NAMESPACE, TEMPORAL_TLS_CERT/KEY/CA,
 * TEMPORAL_TLS_SERVER_NAME and TEMPORAL_API_KEY; undefined when TEMPORAL_ADDRESS is unset.
 */
export function connectionOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): ConnectionSettings | undefined {
  const address = env.TEMPORAL_ADDRESS?.trim();
  if (!address) return undefined;
  const namespace = env.TEMPORAL_NAMESPACE?.trim() || 'default';
  const cert = readPem(env, 'TEMPORAL_TLS_CERT');
  const key = readPem(env, 'TEMPORAL_TLS_KEY');
  const ca = readPem(env, 'TEMPORAL_TLS_CA');
  if (Boolean(cert) !== Boolean(key)) {
    throw new TemporalSetupError(
      'WEFT_BAD_TEMPORAL_ENV',
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both for mTLS, or neither.',
    );
  }
  const apiKey = env.TEMPORAL_API_KEY?.trim() || undefined;
  const serverName = env.TEMPORAL_TLS_SERVER_NAME?.trim() || undefined;
  let tls: ConnectionSettings['tls'];
  if (cert || ca || serverName) tls = { cert, key, ca, serverName };
  // An API key is only ever sent over TLS (Temporal Cloud requires it).
  else if (apiKey || env.TEMPORAL_TLS === 'true') tls = true;
  return { address, namespace, tls, apiKey };
}

/** The options object that Connection.connect and NativeConnection.connect both accept. */
export function connectOptions(settings: ConnectionSettings) {
  const tls =
    settings.tls === true
      ? true
      : settings.tls
        ? {
            serverNameOverride: settings.tls.serverName,
            serverRootCACertificate: settings.tls.ca,
            clientCertPair:
              settings.tls.cert && settings.tls.key
                ? { crt: settings.tls.cert, key: settings.tls.key }
                : undefined,
          }
        : undefined;
  return { address: settings.address, tls, apiKey: settings.apiKey };
}
