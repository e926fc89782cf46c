import { inWorkflowContext, patched } from '@temporalio/workflow';
import { truthy } from '../../model/truthiness';
import { PATCHES } from '../patches';

/**
 * The cast `if`, `while` and `when` used before PATCHES.oneTruthiness: like the rule, except
 * that a function value, being an object with keys, was true.
 */
function truthyBefore(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(truthyBefore);
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * Whether the value of an `if`, `while` or `when` holds, by the one rule (model/truthiness.ts).
 * Runs recorded before the rule keep the old cast; the patch is asked only when the two disagree
 * (a function value), so other runs carry no marker. Outside a workflow (unit tests) the rule
 * applies.
 *
 * `wait` conditions and update validators need no patch: they read the synchronous evaluator,
 * which never hands back a function or NaN (it refuses them), the only values on which their old
 * cast (the fast path's $boolean) and the rule differ.
 */
export function conditionHolds(value: unknown): boolean {
  const now = truthy(value);
  const before = truthyBefore(value);
  if (now === before || !inWorkflowContext()) return now;
  return patched(PATCHES.oneTruthiness) ? now : before;
}
