import { type ActivityManifestEntry, STEP_KINDS, stepKind } from '../../../interpreter/model';
import { inputSkeleton } from './input-skeleton';

/** What a palette item inserts. */
export interface PaletteItem {
  /** `activity:<name>` or the control kind. */
  key: string;
  label: string;
  group: 'activity' | 'control';
  description?: string;
  step: Record<string, unknown>;
}

export function paletteItems(activities: readonly ActivityManifestEntry[]): PaletteItem[] {
  return [
    ...activities.map((a) => {
      const step: Record<string, unknown> = { activity: a.name };
      const input = inputSkeleton(a.input);
      if (input !== undefined) step.input = input;
      const item: PaletteItem = {
        key: `activity:${a.name}`,
        label: a.name,
        group: 'activity',
        step,
      };
      if (a.description !== undefined) item.description = a.description;
      // An activity of another SDK's worker (weft.activities.yaml): say where it runs, since no
      // Weft worker provides it.
      if (a.external) {
        const where = `external: a worker on task queue ${a.taskQueue ?? '?'} provides it`;
        item.description = item.description ? `${item.description} (${where})` : where;
      }
      return item;
    }),
    // The control kinds, from the step-kind table; activities come from the manifest above.
    ...STEP_KINDS.flatMap((kind) => {
      const d = stepKind(kind);
      if (d.template === undefined) return [];
      const item: PaletteItem = {
        key: kind,
        label: d.label,
        group: 'control',
        description: d.description,
        step: structuredClone(d.template) as Record<string, unknown>,
      };
      return [item];
    }),
  ];
}

/** The drag-and-drop payload type: a palette item's step as JSON. */
export const DND_TYPE = 'application/x-weft-step';
