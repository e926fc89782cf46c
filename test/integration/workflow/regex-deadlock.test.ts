// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { compileText, harnessPerFile } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

/**
 * Validation refuses a regex that backtracks catastrophically (WEFT100), but a compiled flow
 * travels in the workflow input, so anyone who can start workflows on the namespace can hand the
 * interpreter one. This is what happens then, with no change to the interpreter: the SDK runs
 * each activation with a vm timeout (isolateExecutionTimeout, 5 s), which interrupts the RegExp
 * exec; the workflow task fails and is retried, and the worker goes on serving other runs.
 */
describe('a catastrophic regex in a hand-made compiled flow', () => {
  it('fails its workflow task at the SDK deadlock timeout, and the worker serves the next run', async () => {
    const flow = compileText({ flow: 'regex-bomb', steps: [{ id: 'm', set: { m: 1 } }] });
    (flow.steps[0] as { set: Record<string, unknown> }).set.m = '${ $match(input.s, /(a+)+$/) }';
    // 2^40 ways to split the a's: hours, were the exec not interrupted.
    const bomb = await harness().start(flow, { s: `${'a'.repeat(40)}!` });
    try {
      let failure: { message?: string | null } | null | undefined;
      while (!failure) {
        const history = await bomb.fetchHistory();
        failure = history.events?.find((e) => e.workflowTaskFailedEventAttributes)
          ?.workflowTaskFailedEventAttributes?.failure;
        if (!failure) await sleep(250);
      }
      expect(failure.message).toBe('Script execution timed out after 5000ms');
      expect(await harness().run({ flow: 'after-the-bomb', steps: [{ return: 'ok' }] })).toEqual({
        status: 'completed',
        output: 'ok',
      });
    } finally {
      await bomb.terminate('the test is over');
    }
  }, 120_000);
});
