import { describe, expect, it } from 'vitest';
import { weft } from './weft';

/**
 * Issue 15 §1: a task queue that external activities are scheduled on and that no worker polls
 * is named, positioned at the activities file line that declares it, by `weft doctor --flows`,
 * and warned about by `weft run` before it starts the flow.
 */
describe('external activities whose worker is not running', () => {
  it('weft doctor --flows reports the queue at its line in the activities file, and exits 1', async () => {
    const r = await weft(['doctor', '--flows', 'external-doctor']);
    expect(r.code, r.stdout).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(
      'external-doctor/weft.activities.yaml:2:12  error  WEFT_EXTERNAL_NO_POLLER  no worker polls task queue "nobody-polls-this", where external activities "lonely_activity" are scheduled',
    );
    expect(lines.find((l) => l.startsWith('queue nobody-polls-this'))).toMatch(
      /^queue nobody-polls-this +NO WORKER POLLING \(activity, external: lonely_activity\)/,
    );
    expect(lines).toContain('flows            1 of 1 in external-doctor compile');
  });

  it('weft run warns before the start, and the step times out waiting in the queue', async () => {
    const r = await weft(['run', 'external-doctor/lonely.flow.yaml', '--json']);
    expect(r.stderr).toContain(
      'weft run: warning WEFT_EXTERNAL_NO_POLLER: no worker polls task queue "nobody-polls-this", where external activities "lonely_activity" are scheduled',
    );
    expect(r.code).toBe(1);
    expect(r.last()).toMatchObject({ status: 'failed', error: { type: 'Timeout', step: 'call' } });
  });
});
