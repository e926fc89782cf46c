import { unknownActivities } from './activities';
import { activityInputs } from './activity-input';
import { unknownChildFlows } from './child-flows';
import type { Rule } from './context';
import { durations } from './durations';
import { expressions } from './expressions';
import { jsonSchemas } from './json-schemas';
import { loopGrowth } from './loop-growth';
import { messageSchemas } from './message-schemas';
import { retryRanges } from './retry';
import { schedules } from './schedules';
import { undeclaredSignals } from './signals';
import { duplicateStepIds } from './step-ids';
import { unreachableSteps } from './unreachable';

export { isFlowFileReference } from './child-flows';
export type { FlowBodyRef, Rule, RuleContext, RuleStep } from './context';

/** Every semantic rule, in the order they run. One rule per file; adding one is one line here. */
export const RULES: readonly Rule[] = [
  unknownActivities,
  activityInputs,
  duplicateStepIds,
  undeclaredSignals,
  unknownChildFlows,
  durations,
  retryRanges,
  expressions,
  jsonSchemas,
  messageSchemas,
  unreachableSteps,
  loopGrowth,
  schedules,
];

const names = new Set<string>();
for (const r of RULES) {
  if (names.has(r.name)) throw new Error(`duplicate rule ${r.name}`);
  names.add(r.name);
}
