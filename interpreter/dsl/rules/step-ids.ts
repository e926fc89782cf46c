import type { Rule } from './context';

/** Step ids are unique within one flow body (explicit ones, and derived ones they could shadow). */
export const duplicateStepIds: Rule = {
  name: 'duplicate-step-ids',
  check({ steps, report, lineOf }) {
    const seen = new Map<string, string>();
    for (const s of steps) {
      const key = `${s.flow.key}\u0000${s.id}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, s.pointer);
        continue;
      }
      const explicit = typeof s.value.id === 'string';
      report(
        'WEFT022',
        explicit ? `${s.pointer}/id` : s.pointer,
        `duplicate step id "${s.id}": the step at line ${lineOf(first)} already has it`,
        { hint: 'give each step a unique id' },
      );
    }
  },
};
