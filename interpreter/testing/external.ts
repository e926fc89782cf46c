import { type CompiledFlow, walkFlowTreeSteps } from '../model';

/**
 * Hands the external activities a test mocks to the test's own worker: in `flow` (a private copy,
 * changed in place), each mocked external call or compensation loses its external routing and
 * runs on `taskQueue`, with its input as one object as a mock expects. Unmocked external calls
 * keep their queue, where a real worker of another SDK must poll. Returns the activity names
 * taken over, which the test worker must then register as mocks.
 */
export function takeOverMockedExternals(
  flow: CompiledFlow,
  mocked: ReadonlySet<string>,
  taskQueue: string,
): Set<string> {
  const names = new Set<string>();
  walkFlowTreeSteps(flow, (step) => {
    if (step.kind !== 'activity') return;
    if (step.external && (mocked.has(step.activity) || mocked.has(step.id))) {
      names.add(step.activity);
      delete step.external;
      delete step.args;
      // The compiler may share one options object between steps: replace, never edit it.
      step.options = { ...step.options, taskQueue };
    }
    const c = step.compensate;
    if (c?.external && (mocked.has(c.activity) || mocked.has(`${step.id}:compensate`))) {
      names.add(c.activity);
      delete c.external;
      delete c.args;
      c.options = { ...c.options, taskQueue };
    }
  });
  return names;
}
