import { describe, expect, it } from 'vitest';
import { flowSchema } from '../../../interpreter/dsl';
import {
  type ActivityOptionsSpec,
  type ActivityStep,
  type CatchClause,
  type ChildFlowStep,
  type Compensation,
  type FailStep,
  type Flow,
  type FlowBody,
  type ForEachStep,
  type IfStep,
  type LogStep,
  type ParallelMode,
  type ParallelStep,
  type ParentClosePolicy,
  type RetryPolicy,
  type ReturnStep,
  type SetStep,
  type SignalHandler,
  type SleepStep,
  STEP_KINDS,
  type StepCommon,
  type SwitchStep,
  type Timeouts,
  type TryStep,
  type UpdateHandler,
  type WaitStep,
  type WhileStep,
  type WorkflowOptionsSpec,
} from '../../../interpreter/model';

/**
 * The DSL types are hand-written; this file proves they agree with schema/flow.schema.json.
 * `shape<T>()` only type-checks when it is given every key of T, no other key, and `true`
 * exactly for the required ones (tsc, part of `npm test`, checks that half); the tests then
 * compare the same records with the schema's `properties` and `required` (vitest's half).
 */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type Shape<T> = { [K in keyof T]-?: K extends RequiredKeys<T> ? true : false };

function shape<T>() {
  return <const R extends Shape<T>>(r: R & Record<Exclude<keyof R, keyof T>, never>) =>
    r as Record<string, boolean>;
}

type Def = { properties?: Record<string, unknown>; required?: string[] };
const root = flowSchema as Def & { $defs: Record<string, Def> };
const defs = root.$defs;
const sub = (def: Def | undefined, key: string) => def?.properties?.[key] as Def;

function agree(name: string, def: Def | undefined, record: Record<string, boolean>): void {
  it(`${name} has the schema's keys, and the same ones required`, () => {
    expect(def, `schema definition for ${name}`).toBeDefined();
    expect(Object.keys(def?.properties ?? {}).sort()).toEqual(Object.keys(record).sort());
    const required = Object.entries(record)
      .filter(([, r]) => r)
      .map(([k]) => k)
      .sort();
    expect([...(def?.required ?? [])].sort()).toEqual(required);
  });
}

const common = { id: false, name: false, when: false, result: false } as const;
const activityOptions = { taskQueue: false, timeouts: false, retry: false } as const;

describe('model types agree with the schema', () => {
  const body = {
    description: false,
    input: false,
    vars: false,
    defaults: false,
    options: false,
    queries: false,
    signals: false,
    updates: false,
    onCancel: false,
    output: false,
    steps: true,
  } as const;
  agree(
    'Flow',
    root,
    shape<Flow>()({
      ...body,
      $schema: false,
      flow: true,
      version: false,
      flows: false,
      schedules: false,
    }),
  );
  agree('FlowBody', defs.flowBody, shape<FlowBody>()(body));
  agree(
    'Timeouts',
    defs.timeouts,
    shape<Timeouts>()({
      startToClose: false,
      scheduleToClose: false,
      scheduleToStart: false,
      heartbeat: false,
    }),
  );
  agree(
    'RetryPolicy',
    defs.retryPolicy,
    shape<RetryPolicy>()({
      initialInterval: false,
      backoffCoefficient: false,
      maximumInterval: false,
      maximumAttempts: false,
      nonRetryableErrorTypes: false,
    }),
  );
  agree('ActivityOptionsSpec', defs.activityOptions, shape<ActivityOptionsSpec>()(activityOptions));
  agree(
    'WorkflowOptionsSpec',
    defs.workflowOptions,
    shape<WorkflowOptionsSpec>()({
      executionTimeout: false,
      runTimeout: false,
      taskTimeout: false,
      retry: false,
      searchAttributes: false,
      memo: false,
    }),
  );
  agree(
    'SignalHandler',
    defs.signalHandler,
    shape<SignalHandler>()({
      description: false,
      input: false,
      set: false,
      steps: false,
    }),
  );
  agree(
    'UpdateHandler',
    defs.updateHandler,
    shape<UpdateHandler>()({
      description: false,
      input: false,
      validate: false,
      set: false,
      steps: false,
      output: false,
    }),
  );
  agree('StepCommon', defs.common, shape<StepCommon>()(common));
  agree(
    'Compensation',
    defs.compensation,
    shape<Compensation>()({
      ...activityOptions,
      activity: true,
      input: false,
    }),
  );
  agree(
    'ActivityStep',
    defs.activityStep,
    shape<ActivityStep>()({
      ...common,
      ...activityOptions,
      activity: true,
      input: false,
      compensate: false,
    }),
  );
  agree('IfStep', defs.ifStep, shape<IfStep>()({ ...common, if: true, then: true, else: false }));
  agree(
    'SwitchStep',
    defs.switchStep,
    shape<SwitchStep>()({
      ...common,
      switch: true,
      cases: true,
      default: false,
    }),
  );
  agree('ParallelStep', defs.parallelStep, shape<ParallelStep>()({ ...common, parallel: true }));
  agree(
    'ParallelStep.parallel',
    sub(defs.parallelStep, 'parallel'),
    shape<ParallelStep['parallel']>()({
      branches: true,
      mode: false,
    }),
  );
  agree(
    'ForEachStep',
    defs.forEachStep,
    shape<ForEachStep>()({
      ...common,
      forEach: true,
      as: false,
      concurrency: false,
      steps: true,
    }),
  );
  agree(
    'WhileStep',
    defs.whileStep,
    shape<WhileStep>()({
      ...common,
      while: true,
      maxIterations: false,
      steps: true,
    }),
  );
  agree('SleepStep', defs.sleepStep, shape<SleepStep>()({ ...common, sleep: true }));
  agree('WaitStep', defs.waitStep, shape<WaitStep>()({ ...common, wait: true }));
  agree(
    'WaitStep.wait',
    sub(defs.waitStep, 'wait'),
    shape<WaitStep['wait']>()({
      signal: false,
      condition: false,
      timeout: false,
      onTimeout: false,
    }),
  );
  agree('SetStep', defs.setStep, shape<SetStep>()({ ...common, set: true }));
  agree(
    'TryStep',
    defs.tryStep,
    shape<TryStep>()({ ...common, try: true, catch: false, finally: false }),
  );
  agree(
    'CatchClause',
    defs.catchClause,
    shape<CatchClause>()({ errors: false, as: false, steps: true }),
  );
  agree(
    'ChildFlowStep',
    defs.flowStep,
    shape<ChildFlowStep>()({
      ...common,
      flow: true,
      input: false,
      workflowId: false,
      parentClosePolicy: false,
    }),
  );
  agree('LogStep', defs.logStep, shape<LogStep>()({ ...common, log: true }));
  agree('FailStep', defs.failStep, shape<FailStep>()({ ...common, fail: true }));
  agree(
    'FailStep.fail',
    sub(defs.failStep, 'fail'),
    shape<FailStep['fail']>()({
      error: true,
      message: false,
      details: false,
    }),
  );
  agree('ReturnStep', defs.returnStep, shape<ReturnStep>()({ ...common, return: true }));

  it('has one schema definition per step kind, in the oneOf of a step', () => {
    const refs = ((defs.step as { oneOf: { $ref: string }[] }).oneOf ?? []).map((r) => r.$ref);
    expect(refs).toEqual(STEP_KINDS.map((k) => `#/$defs/${k}Step`));
  });

  it('uses the same enums', () => {
    const modes: Record<ParallelMode, true> = { all: true, any: true, race: true };
    const policies: Record<ParentClosePolicy, true> = {
      terminate: true,
      abandon: true,
      requestCancel: true,
    };
    const mode = sub(sub(defs.parallelStep, 'parallel'), 'mode') as { enum: string[] };
    const policy = sub(defs.flowStep, 'parentClosePolicy') as { enum: string[] };
    expect([...mode.enum].sort()).toEqual(Object.keys(modes).sort());
    expect([...policy.enum].sort()).toEqual(Object.keys(policies).sort());
  });

  it('describes every property, so editors and the designer can show help', () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.properties && typeof n.properties === 'object') {
        for (const [k, v] of Object.entries(
          n.properties as Record<string, Record<string, unknown>>,
        )) {
          const ref = typeof v.$ref === 'string' ? v.$ref : undefined;
          const target = ref?.startsWith('#/$defs/') ? lookup(ref) : undefined;
          if (!v.description && !target?.description) missing.push(`${path}/properties/${k}`);
        }
      }
      for (const [k, v] of Object.entries(n)) visit(v, `${path}/${k}`);
    };
    const lookup = (ref: string): Record<string, unknown> | undefined => {
      let cur: unknown = flowSchema;
      for (const seg of ref.slice(2).split('/')) cur = (cur as Record<string, unknown>)?.[seg];
      return cur as Record<string, unknown> | undefined;
    };
    visit(flowSchema, '#');
    expect(missing).toEqual([]);
  });
});
