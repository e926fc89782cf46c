// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

describe('wait', () => {
  it('waits for a signal and returns its payload', async () => {
    const handle = await harness().start({
      flow: 'wait-signal',
      signals: { approve: {} },
      steps: [{ id: 'approval', wait: { signal: 'approve', timeout: '1m' }, result: 'decision' }],
      output: '${ vars.decision }',
    });
    await handle.signal('approve', { ok: true, by: 'ann' });
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: { ok: true, by: 'ann' },
    });
    await recordHistory(handle, 'wait-signal');
  });

  it('waits for a condition that a signal handler makes true', async () => {
    const handle = await harness().start({
      flow: 'wait-condition',
      vars: { approved: false },
      signals: { approve: { set: { approved: '${ payload.approved }' } } },
      steps: [{ wait: { condition: '${ vars.approved }', timeout: '1m' } }, { return: 'approved' }],
    });
    await handle.signal('approve', { approved: false });
    await handle.signal('approve', { approved: true });
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: 'approved' });
  });

  it('fails with Timeout without onTimeout', async () => {
    const out = await harness().run({
      flow: 'wait-timeout',
      signals: { never: {} },
      steps: [{ id: 'w', wait: { signal: 'never', timeout: '300ms' } }],
    });
    expect(out).toEqual({
      status: 'failed',
      error: { type: 'Timeout', message: "step 'w': no signal 'never' within 300ms", step: 'w' },
    });
  });

  it('runs onTimeout steps when it times out', async () => {
    const handle = await harness().start({
      flow: 'wait-on-timeout',
      signals: { never: {} },
      steps: [
        {
          id: 'w',
          wait: {
            signal: 'never',
            timeout: '200ms',
            onTimeout: [{ id: 'fallback', set: { escalated: true } }],
          },
        },
      ],
      output: '${ vars.escalated }',
    });
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: true });
    await recordHistory(handle, 'wait-timeout');
  });
});
