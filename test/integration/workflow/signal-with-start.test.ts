// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import type { FlowRunInput } from '../../../interpreter/model';
import { uniqueWorkflowId } from '../../helpers';
import { compileText, eventTypes, harnessPerFile, outcomeOf } from '../../helpers/flows';

const harness = harnessPerFile();

const approval = compileText({
  flow: 'signal-with-start',
  vars: { decision: 'pending', approver: null },
  signals: {
    decide: {
      input: { type: 'object', required: ['approved'] },
      set: {
        decision: "${ payload.approved ? 'approved' : 'rejected' }",
        approver: '${ payload.approver }',
      },
    },
  },
  steps: [{ id: 'wait', wait: { signal: 'decide', timeout: '1m' } }],
  output: "${ { 'decision': vars.decision, 'approver': vars.approver } }",
});

describe('a signal that arrives with the start', () => {
  it("runs its handler's set, not only the wait (it was swallowed by the default handler)", async () => {
    const { client, taskQueue } = harness();
    const args: FlowRunInput = { flow: approval, input: {} };
    const handle = await client.workflow.signalWithStart(approval.flow, {
      taskQueue,
      workflowId: uniqueWorkflowId('signal-with-start'),
      args: [args],
      signal: 'decide',
      signalArgs: [{ approved: true, approver: 'maria' }],
    });
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: { decision: 'approved', approver: 'maria' },
    });
    // The fix is guarded by patched(): one marker in flows that declare signals.
    expect((await eventTypes(handle)).filter((t) => t.includes('MARKER'))).toHaveLength(1);
  });
});
