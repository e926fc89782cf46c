import { describe, expect, it } from 'vitest';
import type { CompiledFlow } from '../../../interpreter/model';
import { DEFAULT_START_TO_CLOSE } from '../../../interpreter/model';
import { testActivities } from '../../fixtures/activities';
import {
  compileText,
  eventTypes,
  harnessPerFile,
  outcomeOf,
  recordHistory,
} from '../../helpers/flows';

const t = testActivities();
const harness = harnessPerFile({ activities: t.activities });

const compiled = compileText({
  flow: 'default-timeout',
  steps: [{ id: 'echo', activity: 'test.echo', input: 1, result: 'n' }],
  output: '${ vars.n }',
});

/** The startToClose Temporal was given for the run's activity, in seconds. */
async function scheduledStartToClose(
  handle: Awaited<ReturnType<ReturnType<typeof harness>['start']>>,
) {
  const history = await handle.fetchHistory();
  const scheduled = (history.events ?? []).find((e) => e.activityTaskScheduledEventAttributes);
  return Number(scheduled?.activityTaskScheduledEventAttributes?.startToCloseTimeout?.seconds);
}

describe("an activity call's default startToClose", () => {
  it('is the one the compiler writes into every call, 1m, so compiled flows never check the patch', async () => {
    expect(DEFAULT_START_TO_CLOSE).toBe('1m');
    expect(compiled.steps[0]).toMatchObject({ options: { timeouts: { startToClose: '1m' } } });
    const handle = await harness().start(compiled);
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: 1 });
    expect(await scheduledStartToClose(handle)).toBe(60);
    expect((await eventTypes(handle)).filter((e) => e === 'MARKER_RECORDED')).toEqual([]);
  });

  it('is 1m too for a hand-built input that sets no timeout (the interpreter used to say 10m)', async () => {
    const bare = structuredClone(compiled) as CompiledFlow & { steps: { options: unknown }[] };
    bare.steps[0]!.options = { timeouts: {} };
    const handle = await harness().start(bare);
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: 1 });
    expect(await scheduledStartToClose(handle)).toBe(60);
    // Guarded by patched(), checked only on this path.
    expect((await eventTypes(handle)).filter((e) => e === 'MARKER_RECORDED')).toHaveLength(1);
    await recordHistory(handle, 'activity-default-start-to-close');
  });
});
