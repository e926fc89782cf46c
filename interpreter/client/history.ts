import type { Client } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { ClientError } from './errors';

export type History = temporal.api.history.v1.IHistory;

/** The run's full event history as the JSON that `temporal workflow show --output json` writes. */
export async function exportHistory(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<string> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  return historyToJSON(history);
}

/** Reads an exported history (ours or the Temporal CLI's), for replay. */
export function parseHistory(text: string): History {
  try {
    return historyFromJSON(JSON.parse(text));
  } catch (err) {
    throw new ClientError(
      'WEFT_BAD_HISTORY',
      `not a Temporal history JSON: ${(err as Error).message}`,
    );
  }
}
