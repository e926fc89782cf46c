import type { ActivityManifestEntry, StepKind } from '../../../interpreter/model';

/** What a palette item inserts. */
export interface PaletteItem {
  /** `activity:<name>` or the control kind. */
  key: string;
  label: string;
  group: 'activity' | 'control';
  description?: string;
  step: Record<string, unknown>;
}

const e = (body: string): string => `\${ ${body} }`;

export const CONTROL_TEMPLATES: Record<
  Exclude<StepKind, 'activity'>,
  { description: string; step: Record<string, unknown> }
> = {
  if: { description: 'Branch on a condition', step: { if: e('true'), then: [], else: [] } },
  switch: {
    description: 'Branch on a value',
    step: { switch: e('input.kind'), cases: { a: [] }, default: [] },
  },
  parallel: {
    description: 'Run branches at once',
    step: { parallel: { branches: { a: [], b: [] }, mode: 'all' } },
  },
  forEach: {
    description: 'Repeat for each item',
    step: { forEach: e('input.items'), as: 'item', steps: [] },
  },
  while: {
    description: 'Repeat while true',
    step: { while: e('false'), maxIterations: 10, steps: [] },
  },
  sleep: { description: 'Wait for a duration', step: { sleep: '1s' } },
  wait: {
    description: 'Wait for a signal or condition',
    step: { wait: { signal: 'go', timeout: '1h' } },
  },
  set: { description: 'Set variables', step: { set: { value: 1 } } },
  try: { description: 'Catch failures', step: { try: [], catch: [{ steps: [] }] } },
  flow: { description: 'Run a child flow', step: { flow: 'child' } },
  log: { description: 'Write a log line', step: { log: 'hello' } },
  fail: {
    description: 'Fail the flow',
    step: { fail: { error: 'Failed', message: 'why it failed' } },
  },
  return: { description: 'Finish with an output', step: { return: e('vars') } },
};

export function paletteItems(activities: readonly ActivityManifestEntry[]): PaletteItem[] {
  return [
    ...activities.map((a) => {
      const item: PaletteItem = {
        key: `activity:${a.name}`,
        label: a.name,
        group: 'activity',
        step: { activity: a.name },
      };
      if (a.description !== undefined) item.description = a.description;
      return item;
    }),
    ...Object.entries(CONTROL_TEMPLATES).map(([kind, t]) => ({
      key: kind,
      label: kind,
      group: 'control' as const,
      description: t.description,
      step: t.step,
    })),
  ];
}

/** The drag-and-drop payload type: a palette item's step as JSON. */
export const DND_TYPE = 'application/x-weft-step';
