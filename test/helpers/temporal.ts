import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';

/** The run's Temporal server, started once by global-setup.ts. */
export function testServer(): { address: string; namespace: string } {
  return inject('temporal');
}

let client: Promise<Client> | undefined;
let connection: Promise<NativeConnection> | undefined;

/** A client on the test server, shared by the tests of one file. */
export function testClient(): Promise<Client> {
  client ??= (async () => {
    const { address, namespace } = testServer();
    return new Client({ connection: await Connection.connect({ address }), namespace });
  })();
  return client;
}

/** The worker-side connection for Worker.create, shared by the tests of one file. */
export function testConnection(): Promise<NativeConnection> {
  connection ??= NativeConnection.connect({ address: testServer().address });
  return connection;
}

/** A task queue no other test uses, so tests never steal each other's tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function uniqueWorkflowId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}
