// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { eventTypes, harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

/**
 * One truthiness rule (schema/README.md, Truthiness) for every key that reads a condition. The
 * cases are expression texts, since a function value cannot be written as JSON. `sync` is what
 * the synchronous callers (wait conditions, update validators) answer: they refuse a value the
 * synchronous evaluator cannot hand back (a function) with WEFT03 instead of casting it.
 */
const CASES: { text: string; truthy: boolean; sync?: 'refused' }[] = [
  { text: 'true', truthy: true },
  { text: 'false', truthy: false },
  { text: '0', truthy: false },
  { text: '-1', truthy: true },
  { text: "''", truthy: false },
  { text: "'false'", truthy: true },
  { text: 'null', truthy: false },
  { text: 'input.missing', truthy: false },
  { text: '[]', truthy: false },
  { text: '[0, "", null]', truthy: false },
  { text: '[[], [0]]', truthy: false },
  { text: '[0, 1]', truthy: true },
  { text: '{}', truthy: false },
  { text: "{ 'a': null }", truthy: true },
  { text: '$uppercase', truthy: false, sync: 'refused' },
  { text: 'function($x){ $x }', truthy: false, sync: 'refused' },
];

/**
 * A flow that runs every case through `if`, `when`, `while` and `wait`, stores what each decided
 * in `vars`, offers one update per case (its validator reads the case) and ends on signal `done`.
 */
function everyCaller() {
  const steps: unknown[] = [];
  const updates: Record<string, unknown> = {};
  CASES.forEach(({ text }, i) => {
    const expr = `\${ ${text} }`;
    steps.push(
      {
        id: `if${i}`,
        if: expr,
        then: [{ set: { [`if${i}`]: true } }],
        else: [{ set: { [`if${i}`]: false } }],
      },
      { id: `when${i}`, when: expr, set: { [`when${i}`]: true } },
      {
        // The case's own value the first time, false once the body ran.
        id: `while${i}`,
        while: `\${ $exists(vars.while${i}) ? false : (${text}) }`,
        maxIterations: 1,
        steps: [{ set: { [`while${i}`]: true } }],
      },
      {
        try: [
          {
            id: `wait${i}`,
            wait: {
              condition: expr,
              timeout: '1ms',
              onTimeout: [{ set: { [`wait${i}`]: false } }],
            },
          },
          { when: `\${ $exists(vars.wait${i}) = false }`, set: { [`wait${i}`]: true } },
        ],
        catch: [{ steps: [{ set: { [`wait${i}`]: '${ error.details.code }' } }] }],
      },
    );
    updates[`u${i}`] = { validate: expr, output: 'accepted' };
  });
  steps.push({ id: 'end', wait: { signal: 'done', timeout: '1m' } });
  return {
    flow: 'truthiness-callers',
    vars: {},
    signals: { done: {} },
    updates,
    steps,
    output: '${ vars }',
  };
}

describe('one truthiness rule', () => {
  it('recorded run: a function value is false for if, when and while (JSONata casts it so)', async () => {
    const handle = await harness().start({
      flow: 'truthiness-functions',
      vars: { loops: 0 },
      steps: [
        { id: 'gate', if: '${ $uppercase }', then: [{ id: 'gateNap', sleep: '1ms' }] },
        { id: 'guarded', when: '${ function($x){ $x } }', sleep: '2ms' },
        {
          id: 'loop',
          while: '${ vars.loops = 0 ? $uppercase : false }',
          maxIterations: 3,
          steps: [
            { id: 'spin', set: { loops: '${ vars.loops + 1 }' } },
            { id: 'loopNap', sleep: '3ms' },
          ],
        },
      ],
      output: '${ vars }',
    });
    const outcome = await outcomeOf(handle);
    await recordHistory(handle, 'truthiness-functions');
    expect(outcome).toEqual({ status: 'completed', output: { loops: 0 } });
    // No branch taken, so no timer; the run asked for the patch where the rules disagreed.
    const events = await eventTypes(handle);
    expect(events).not.toContain('TIMER_STARTED');
    expect(events).toContain('MARKER_RECORDED');
  });

  it('if, when, while, wait and update validators decide every case alike', async () => {
    const handle = await harness().start(everyCaller());
    const validated: unknown[] = [];
    for (const [i] of CASES.entries()) {
      validated.push(
        await handle.executeUpdate(`u${i}`, { args: [null] }).catch((err: Error) => {
          const message = String((err.cause as Error | undefined)?.message ?? err.message);
          return message.includes('is false')
            ? false
            : message.includes('WEFT03') || /synchronously/.test(message)
              ? 'refused'
              : message;
        }),
      );
    }
    await handle.signal('done');
    const outcome = await outcomeOf(handle);
    expect(outcome.status).toBe('completed');
    const vars = (outcome as { output: Record<string, unknown> }).output;
    const decided = CASES.map((c, i) => ({
      text: c.text,
      if: vars[`if${i}`],
      when: vars[`when${i}`] ?? false,
      while: vars[`while${i}`] ?? false,
      wait: vars[`wait${i}`],
      update: validated[i] === 'accepted' ? true : validated[i],
    }));
    const expected = CASES.map((c) => ({
      text: c.text,
      if: c.truthy,
      when: c.truthy,
      while: c.truthy,
      wait: c.sync === 'refused' ? 'WEFT03' : c.truthy,
      update: c.sync ?? c.truthy,
    }));
    expect(decided).toEqual(expected);
  });
});
