import { useDesigner } from '../store';

/**
 * Whether a branch of the open run was not taken: every step drawn in it was skipped. The
 * interpreter skips the steps of the branches an `if` or `switch` did not take.
 */
export function useBranchNotTaken(branchId: string): boolean {
  return useDesigner((s) => {
    if (s.statuses.size === 0) return false;
    let steps = 0;
    for (const n of s.graph.nodes) {
      if (n.parent !== branchId || n.type !== 'step' || n.stepId === undefined) continue;
      steps++;
      if (s.statuses.get(n.stepId)?.status !== 'skipped') return false;
    }
    return steps > 0;
  });
}
