// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import type { CompiledFlow } from '../../../interpreter/model';
import { uniqueWorkflowId } from '../../helpers';
import { compileText, harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

/**
 * A regex with no exponential ambiguity passes validation, but can still backtrack
 * polynomially: `$match(s, /\s*\s*$/)` on 300 000 spaces then `x` tries every way to split each
 * run of spaces between the two loops, from every start position (n^3 steps), for hours in one
 * RegExp exec that the work budget cannot interrupt. Before PATCHES.regexBudget only the SDK's
 * 5 s vm timeout stopped it: the workflow task failed and Temporal retried it. Now the scan's
 * worst case is charged against the expression budget before it runs.
 */
function withRegex(flowName: string, expression: string): CompiledFlow {
  const flow = compileText({
    flow: flowName,
    vars: { matched: null },
    steps: [
      {
        try: [{ id: 'match', set: { matched: '${ $count($match(input.s, /a+b/)) }' } }],
        catch: [
          {
            // A timer, so that refusing issues a command: replaying the run before the patch
            // with an unguarded refusal is then a determinism violation, not just another output.
            steps: [
              { id: 'pause', sleep: '1ms' },
              { id: 'refused', set: { matched: '${ error.details.code }' } },
            ],
          },
        ],
      },
    ],
    output: '${ vars.matched }',
  });
  (flow.steps[0] as { try: { set: Record<string, unknown> }[] }).try[0]!.set.matched = expression;
  return flow;
}

describe('a regex that backtracks polynomially', () => {
  it('recorded run: fails its expression with WEFT01 instead of scanning', async () => {
    // test/histories/regex-budget-before.json is this run recorded before the patch, as
    // regex-budget-before: it scanned (601 characters match at once) and its output was 1.
    // test/histories/regex-budget.json is the run after it.
    const recording = process.env.WEFT_RECORD_HISTORIES === '1';
    const handle = await harness().start(
      withRegex('regex-budget', '${ $count($match(input.s, /\\s*\\s*x/)) }'),
      { s: `${' '.repeat(600)}x` },
      recording ? 'regex-budget' : uniqueWorkflowId('regex-budget'),
    );
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: 'WEFT01' });
    await recordHistory(handle, 'regex-budget');
  });

  it('fails the run with the budget error before the scan, while another run completes', async () => {
    const bomb = compileText({ flow: 'regex-poly', steps: [{ id: 'm', set: { m: 1 } }] });
    (bomb.steps[0] as { set: Record<string, unknown> }).set.m = '${ $match(input.s, /\\s*\\s*$/) }';
    const calm = compileText({
      flow: 'regex-calm',
      steps: [{ id: 'words', set: { n: '${ $count($match(input.s, /^[a-z]+$/)) }' } }],
      output: '${ vars.n }',
    });
    const started = Date.now();
    const [failing, other] = await Promise.all([
      harness().start(bomb, { s: `${' '.repeat(300_000)}x` }),
      harness().start(calm, { s: 'abc' }),
    ]);
    const outcome = await outcomeOf(failing);
    // Reported, not asserted: the proof of promptness is that no workflow task failed below.
    console.log(`regex-poly failed after ${Date.now() - started} ms`);
    expect(outcome.status === 'failed' && outcome.error).toMatchObject({
      type: 'ExpressionError',
      step: 'm',
      details: { code: 'WEFT01' },
    });
    expect(outcome.status === 'failed' && outcome.error.message).toContain(
      'regex /\\s*\\s*$/ on a string of 300001 characters can backtrack for about n^3 steps',
    );
    // Had the exec run, the vm timeout would have failed its workflow task (then retried it).
    const { events } = await failing.fetchHistory();
    expect(events?.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
    expect(await outcomeOf(other)).toEqual({ status: 'completed', output: 1 });
  });
});
