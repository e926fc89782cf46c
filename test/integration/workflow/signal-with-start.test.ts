// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import type { FlowRunInput } from '../../../interpreter/model';
import { uniqueWorkflowId } from '../../helpers';
import {
  compileText,
  eventTypes,
  harnessPerFile,
  outcomeOf,
  recordHistory,
} from '../../helpers/flows';

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
    // The fix is guarded by patched(), checked only because a signal arrived with the start.
    expect((await eventTypes(handle)).filter((t) => t.includes('MARKER'))).toHaveLength(1);
    await recordHistory(handle, 'signal-with-start');
  });

  it('leaves no patch marker when every signal came after the start (a marker costs memory per cached flow)', async () => {
    const { client, taskQueue } = harness();
    const args: FlowRunInput = { flow: approval, input: {} };
    const handle = await client.workflow.start(approval.flow, {
      taskQueue,
      workflowId: uniqueWorkflowId('signal-after-start'),
      args: [args],
    });
    // The first workflow task has run (the handlers exist) before the signal is sent.
    await handle.query('weft.progress');
    await handle.signal('decide', { approved: false, approver: 'li' });
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: { decision: 'rejected', approver: 'li' },
    });
    expect((await eventTypes(handle)).filter((t) => t.includes('MARKER'))).toEqual([]);
    await recordHistory(handle, 'signal-after-start');
  });
});
