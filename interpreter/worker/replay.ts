import { Worker } from '@temporalio/worker';
import type { History } from '../client';
import { workflowBundle } from './bundle';

/**
 * Replays a recorded history against this build of the interpreter. Resolves when it replays
 * cleanly; rejects with the SDK's DeterminismViolationError (or ReplayError) when the
 * interpreter would now take a different path, which is what an unguarded change looks like.
 */
export async function replayHistory(history: History, workflowId = 'replay'): Promise<void> {
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
}
