import type { FlowOutcome } from '../client';

/** The machine-readable last line of `weft run --json` (a contract outside tests rely on). */
export function outcomeLine(outcome: FlowOutcome): string {
  return outcome.status === 'completed'
    ? JSON.stringify({ status: 'completed', output: outcome.output ?? null })
    : JSON.stringify({ status: 'failed', error: outcome.error });
}
