import type { Rule } from './context';

/**
 * A step after an unconditional `return` or `fail` in the same list can never run. Reported
 * once per list, as a warning: it is dead code, not a broken flow.
 */
export const unreachableSteps: Rule = {
  name: 'unreachable-steps',
  check({ steps, report }) {
    const reported = new Set<unknown[]>();
    for (const s of steps) {
      if (s.kind !== 'return' && s.kind !== 'fail') continue;
      if (s.value.when !== undefined) continue;
      if (s.index + 1 >= s.list.length || reported.has(s.list)) continue;
      reported.add(s.list);
      const nextPointer = s.pointer.replace(/\/\d+$/, `/${s.index + 1}`);
      report(
        'WEFT040',
        nextPointer,
        `this step can never run: it follows a "${s.kind}" in the same list`,
        { severity: 'warning', hint: `remove it, or guard the ${s.kind} with when:` },
      );
    }
  },
};
