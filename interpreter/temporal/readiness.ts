import { Connection } from '@temporalio/client';
import { TemporalSetupError } from './errors';

/** Resolves once `namespace` answers on `address`; rejects after `timeoutMs` or when `stillAlive` says no. */
export async function waitForNamespace(
  address: string,
  namespace: string,
  timeoutMs: number,
  stillAlive: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const dead = stillAlive();
    if (dead) throw new TemporalSetupError('WEFT_SERVER_START_FAILED', dead);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new TemporalSetupError(
    'WEFT_SERVER_UNREACHABLE',
    `Temporal at ${address} did not answer for namespace '${namespace}' within ${timeoutMs} ms: ${last}`,
  );
}
