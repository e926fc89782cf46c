import { didYouMean } from '../suggest';
import { isRecord, type Rule } from './context';

/** Activity names (and compensation activities) must exist in the manifest, when one is given. */
export const unknownActivities: Rule = {
  name: 'unknown-activities',
  check({ steps, manifest, report }) {
    if (!manifest) return;
    const names = new Set(manifest.activities.map((a) => a.name));
    const check = (name: unknown, pointer: string) => {
      if (typeof name !== 'string' || names.has(name)) return;
      report(
        'WEFT023',
        pointer,
        `unknown activity "${name}": no loaded plugin provides it.${didYouMean(name, names)}`,
        { hint: 'load the plugin that defines it with --plugins <module>' },
      );
    };
    for (const s of steps) {
      if (s.kind !== 'activity') continue;
      check(s.value.activity, `${s.pointer}/activity`);
      if (isRecord(s.value.compensate)) {
        check(s.value.compensate.activity, `${s.pointer}/compensate/activity`);
      }
    }
  },
};
