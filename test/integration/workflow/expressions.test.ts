import { describe, expect, it } from 'vitest';
import { compileText, harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

describe('expressions', () => {
  it('keeps types for whole-string expressions, interpolates text, and sees workflow facts', async () => {
    const handle = await harness().start(
      {
        flow: 'expr',
        vars: { n: 2 },
        steps: [
          {
            set: {
              num: '${ vars.n * 21 }',
              obj: "${ { 'a': input.a } }",
              text: '${ vars.n } and ${ input.a } and ${ { "k": 1 } }',
              type: '${ workflow.type }',
              literal: 'no expression here',
            },
          },
        ],
      },
      { a: 'x' },
    );
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: {
        n: 2,
        num: 42,
        obj: { a: 'x' },
        text: '2 and x and {"k":1}',
        type: 'expr',
        literal: 'no expression here',
      },
    });
    await recordHistory(handle, 'expressions');
  });

  for (const [name, expression] of [
    ['$eval', '${ $eval("1+1") }'],
    ['$random', '${ $random() }'],
    ['$now', '${ $now() }'],
  ] as const) {
    it(`disables ${name} with an ExpressionError naming the step`, async () => {
      // The compiler rejects these too; the interpreter must still refuse a hand-made input.
      const flow = compileText({ flow: 'nondet', steps: [{ id: 'bad', set: { x: 1 } }] });
      (flow.steps[0] as { set: Record<string, unknown> }).set.x = expression;
      const out = await harness().run(flow);
      expect(out.status === 'failed' && out.error.type).toBe('ExpressionError');
      expect(out.status === 'failed' && out.error.step).toBe('bad');
      expect(out.status === 'failed' && out.error.message).toContain(`step 'bad'`);
    });
  }

  it('stops endless recursion without hanging the workflow task', async () => {
    const out = await harness().run({
      flow: 'endless',
      steps: [{ id: 'loop', set: { x: '${ ($f := function($n) { $f($n + 1) }; $f(0)) }' } }],
    });
    expect(out.status === 'failed' && out.error.type).toBe('ExpressionError');
    expect(out.status === 'failed' && out.error.step).toBe('loop');
  });

  it('fails a runtime error with ExpressionError naming the step and the expression', async () => {
    const out = await harness().run({
      flow: 'bad-expr',
      steps: [{ id: 'calc', set: { x: "${ 1 + 'a' }" } }],
    });
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error.type).toBe('ExpressionError');
    expect(out.error.message).toContain("step 'calc'");
    expect(out.error.message).toContain("1 + 'a'");
  });
});
