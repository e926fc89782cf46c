import type { StepKind } from './types';

/** One nested step list of a container step: where it sits and how the canvas names it. */
export interface GraphBranch {
  /** Tokens from the step to the list (`['then']`, `['parallel', 'branches', 'email']`). */
  path: (string | number)[];
  label: string;
  /** The list as written; undefined when the key is absent (drawn as an empty branch). */
  list: unknown;
}

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}

/**
 * The nested lists of each container kind, in drawing order. Optional lists (`else`, `default`,
 * `finally`, `onTimeout`) are drawn even when absent, so a step can be dropped into them.
 */
export function graphBranches(kind: StepKind, step: Record<string, unknown>): GraphBranch[] {
  switch (kind) {
    case 'if':
      return [
        { path: ['then'], label: 'then', list: step.then },
        { path: ['else'], label: 'else', list: step.else },
      ];
    case 'switch':
      return [
        ...Object.entries(rec(step.cases)).map(([name, list]) => ({
          path: ['cases', name],
          label: `case ${name}`,
          list,
        })),
        { path: ['default'], label: 'default', list: step.default },
      ];
    case 'parallel':
      return Object.entries(rec(rec(step.parallel).branches)).map(([name, list]) => ({
        path: ['parallel', 'branches', name],
        label: name,
        list,
      }));
    case 'forEach':
      return [{ path: ['steps'], label: 'each', list: step.steps }];
    case 'while':
      return [{ path: ['steps'], label: 'loop', list: step.steps }];
    case 'try': {
      const catches = Array.isArray(step.catch) ? step.catch : [];
      return [
        { path: ['try'], label: 'try', list: step.try },
        ...catches.map((clause, i) => {
          const errors = rec(clause).errors;
          const label = Array.isArray(errors) ? `catch ${errors.join(', ')}` : 'catch';
          return { path: ['catch', i, 'steps'], label, list: rec(clause).steps };
        }),
        { path: ['finally'], label: 'finally', list: step.finally },
      ];
    }
    case 'wait': {
      const w = rec(step.wait);
      return 'onTimeout' in w
        ? [{ path: ['wait', 'onTimeout'], label: 'onTimeout', list: w.onTimeout }]
        : [];
    }
    default:
      return [];
  }
}
