// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { eventTypes, harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

describe('sleep', () => {
  it('sleeps for a duration and until a timestamp, each a durable timer', async () => {
    const handle = await harness().start(
      {
        flow: 'naps',
        steps: [
          { id: 'nap', sleep: '300ms' },
          { id: 'nap-expr', sleep: '${ input.ms }' },
          { id: 'until', sleep: { until: '${ $fromMillis($toMillis(workflow.now) + 200) }' } },
          { id: 'past', sleep: { until: "${ '2001-01-01T00:00:00Z' }" } },
          { return: 'rested' },
        ],
      },
      { ms: 100 },
    );
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: 'rested' });
    const events = await eventTypes(handle);
    expect(events.filter((e) => e === 'TIMER_FIRED')).toHaveLength(3);
    await recordHistory(handle, 'sleep');
  });
});
