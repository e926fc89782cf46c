/** The data every expression sees at its root: `{input, vars, payload, workflow}` plus bindings. */
export interface ExpressionRoot {
  input: unknown;
  vars: Record<string, unknown>;
  payload?: unknown;
  workflow: WorkflowFacts;
  [binding: string]: unknown;
}

export interface WorkflowFacts {
  id: string;
  runId: string;
  type: string;
  taskQueue: string;
  /** Workflow time (deterministic): ISO timestamp of the current workflow task. */
  now: string;
  startTime: string;
}
