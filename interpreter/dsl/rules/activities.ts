import { didYouMean } from '../suggest';
import { isRecord, type Rule } from './context';

/**
 * Activity names (and compensation activities) must exist in the manifest, when one is given:
 * plugin activities and the external ones an activities file declares alike.
 */
export const unknownActivities: Rule = {
  name: 'unknown-activities',
  check({ steps, manifest, report }) {
    // A partial manifest (external activities only, no plugins loaded) cannot tell unknown names.
    if (!manifest || manifest.partial) return;
    const names = new Set(manifest.activities.map((a) => a.name));
    const check = (name: unknown, pointer: string) => {
      if (typeof name !== 'string' || names.has(name)) return;
      report(
        'WEFT023',
        pointer,
        `unknown activity "${name}": no loaded plugin provides it.${didYouMean(name, names)}`,
        {
          hint: 'load the plugin that defines it with --plugins <module>, or declare an activity of another worker in weft.activities.yaml beside the flow',
        },
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
