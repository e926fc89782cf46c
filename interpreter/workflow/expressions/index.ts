export { EXPRESSION_LIMITS, evaluateExpression } from './evaluate';
export type { ExpressionRoot, WorkflowFacts } from './root';
export { hasExpression, parseTemplate } from './segments';
export { evaluateSync, resolveExpressionSync, resolveTemplateSync } from './sync';
export {
  resolveBoolean,
  resolveExpression,
  resolveTemplate,
  resolveTemplateNow,
} from './template';
export { conditionHolds } from './truthiness';
