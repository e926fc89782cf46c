// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import type { CompiledFlow } from '../../../interpreter/model';
import { uniqueWorkflowId } from '../../helpers';
import { compileText, harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

/**
 * Validation refuses a regex that can backtrack catastrophically (WEFT100), but the compiled flow
 * travels in the workflow input, so anyone who can start workflows on the namespace can hand the
 * interpreter one. Before PATCHES.safeRegex the interpreter ran it: `$match(s, /(a+)+$/)` on 40 `a`
 * then `!` held the worker's only workflow thread until the SDK's vm timeout (5 s) failed the
 * workflow task with "Script execution timed out after 5000ms", and Temporal retried that task
 * until the run timed out (other runs on the worker went on between the attempts). Now the
 * expression fails with ExpressionError before the regex runs.
 */
function withRegex(flowName: string, expression: string): CompiledFlow {
  const flow = compileText({
    flow: flowName,
    vars: { matched: null },
    steps: [
      {
        try: [{ id: 'match', set: { matched: '${ $count($match(input.s, /a+b/)) }' } }],
        catch: [{ steps: [{ id: 'refused', set: { matched: '${ error.details.code }' } }] }],
      },
    ],
    output: '${ vars.matched }',
  });
  (flow.steps[0] as { try: { set: Record<string, unknown> }[] }).try[0]!.set.matched = expression;
  return flow;
}

describe('a catastrophic regex in a hand-made compiled flow', () => {
  it('recorded run: fails its expression with WEFT100 instead of running the regex', async () => {
    // test/histories/regex-unsafe-before.json is this run recorded before the patch: it matched,
    // and its output was 1. test/histories/regex-unsafe.json is the run after it.
    const recording = process.env.WEFT_RECORD_HISTORIES === '1';
    const handle = await harness().start(
      withRegex('regex-unsafe', '${ $count($match(input.s, /(a+)+b/)) }'),
      { s: 'aab' },
      recording ? 'regex-unsafe' : uniqueWorkflowId('regex-unsafe'),
    );
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: 'WEFT100' });
    await recordHistory(handle, 'regex-unsafe');
  });

  it('fails the step with an ExpressionError that names the nested quantifier', async () => {
    const flow = compileText({ flow: 'regex-bomb', steps: [{ id: 'm', set: { m: 1 } }] });
    (flow.steps[0] as { set: Record<string, unknown> }).set.m = '${ $match(input.s, /(a+)+$/) }';
    const outcome = await harness().run(flow, { s: `${'a'.repeat(40)}!` });
    expect(outcome.status === 'failed' && outcome.error).toMatchObject({
      type: 'ExpressionError',
      step: 'm',
      details: { code: 'WEFT100' },
    });
    expect(outcome.status === 'failed' && outcome.error.message).toContain(
      'regex /(a+)+$/ has a nested quantifier `(a+)+`',
    );
  });
});
