import type { Client } from '@temporalio/client';
import { type ConnectionSettings, connectClient, connectionOptionsFromEnv } from '../temporal';

/** Where client commands go when TEMPORAL_ADDRESS is unset: a local `weft server` / dev server. */
export const LOCAL_SERVER: ConnectionSettings = { address: 'localhost:7233', namespace: 'default' };

/**
 * A client on the server named by the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS,
 * API key), or on the local default. `close()` releases the connection.
 */
export async function connectFromEnv(
  overrides: Partial<Pick<ConnectionSettings, 'address' | 'namespace'>> = {},
): Promise<{ client: Client; settings: ConnectionSettings; close(): Promise<void> }> {
  const settings = { ...(connectionOptionsFromEnv() ?? LOCAL_SERVER) };
  if (overrides.address) settings.address = overrides.address;
  if (overrides.namespace) settings.namespace = overrides.namespace;
  const { client, connection } = await connectClient(settings);
  return { client, settings, close: () => connection.close() };
}
