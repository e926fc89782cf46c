import { Client, Connection } from '@temporalio/client';
import { type ConnectionSettings, connectOptions } from './env';

/** A client on `settings`; close the returned connection when done. */
export async function connectClient(
  settings: ConnectionSettings,
): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect(connectOptions(settings));
  return { client: new Client({ connection, namespace: settings.namespace }), connection };
}

/** The worker-side connection (native), loaded lazily so client-only commands skip the worker package. */
export async function connectWorker(settings: ConnectionSettings) {
  const { NativeConnection } = await import('@temporalio/worker');
  return NativeConnection.connect(connectOptions(settings));
}
