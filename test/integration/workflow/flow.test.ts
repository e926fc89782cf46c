import { describe, expect, it } from 'vitest';
import { testActivities } from '../../fixtures/activities';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const t = testActivities();
const harness = harnessPerFile({ activities: t.activities });

describe('child flows', () => {
  it('runs a child with workflowId, type = child flow name, and stores its result', async () => {
    const orderId = `A-${Date.now()}`;
    const handle = await harness().start(
      {
        flow: 'parent',
        flows: {
          shipping: {
            steps: [
              {
                id: 'ship',
                activity: 'test.echo',
                input: "${ 'shipped ' & input.orderId }",
                result: 'label',
              },
              { flow: 'label' },
            ],
            output: '${ vars.label }',
          },
          label: { steps: [{ return: 'label printed' }] },
        },
        steps: [
          {
            id: 'child',
            flow: 'shipping',
            input: { orderId: '${ input.orderId }' },
            workflowId: "${ 'ship-' & input.orderId }",
            parentClosePolicy: 'abandon',
            result: 'shipment',
          },
        ],
        output: '${ vars.shipment }',
      },
      { orderId },
    );
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: `shipped ${orderId}` });
    const child = harness().client.workflow.getHandle(`ship-${orderId}`);
    const described = await child.describe();
    expect(described.type).toBe('shipping');
    expect(described.status.name).toBe('COMPLETED');
    await recordHistory(handle, 'child-flow');
  });

  it('a failed child is ChildFlowFailed carrying the child error', async () => {
    const out = await harness().run({
      flow: 'parent-fail',
      flows: { bad: { steps: [{ id: 'nope', fail: { error: 'Rejected', message: 'no' } }] } },
      steps: [{ id: 'child', flow: 'bad' }],
    });
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error.type).toBe('ChildFlowFailed');
    expect(out.error.step).toBe('child');
    expect(out.error.details).toEqual({ type: 'Rejected', message: 'no', step: 'nope' });
  });
});
