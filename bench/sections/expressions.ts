import { randomUUID } from 'node:crypto';
import proto from '@temporalio/proto';
import type { FlowRunInput } from '../../interpreter/model';
import { EXPRESSION_BUDGET } from '../../interpreter/workflow/expressions/budget';
import { evaluateExpression } from '../../interpreter/workflow/expressions/evaluate';
import type { ExpressionRoot } from '../../interpreter/workflow/expressions/root';
import type { BenchEnv } from '../env';
import { compileText } from '../flows';
import { round } from '../stats';

/** Temporal's limit on one workflow task in the workflow sandbox. */
export const ISOLATE_LIMIT_MS = 5000;

type Path = 'fast' | 'jsonata';

/**
 * Expressions that spend their budget as slowly as we know how, each with a size `n`: the
 * bench takes the largest n that stays inside the budget. JSONata candidates carry a lambda
 * signature (`<n:n>`) or a builtin the fast path lacks, so they run on JSONata's evaluator.
 */
const CANDIDATES: { path: Path; name: string; text: (n: number) => string }[] = [
  { path: 'fast', name: 'lambda per item', text: (n) => `$sum($map([1..${n}], function($v){ $v * 2 + 1 }))` },
  { path: 'fast', name: 'range and sum per item', text: (n) => `$sum($map([1..${n}], function($v){ $sum([1..1000]) }))` },
  { path: 'fast', name: 'deep equality', text: (n) => `($a := [1..${n}]; $b := [1..${n}]; $a = $b)` },
  { path: 'fast', name: 'string length', text: (n) => `($f := function($s, $k){ $k = 0 ? $s : $f($s & $s, $k - 1) }; $s := $f('abcdefghij', 16); $sum($map([1..${n}], function($v){ $length($s) })))` },
  { path: 'fast', name: 'recursion', text: (n) => `($f := function($n){ $n <= 0 ? 0 : 1 + $f($n - 1) }; $sum($map([1..${n}], function($v){ $f(40) })))` },
  { path: 'jsonata', name: 'lambda per item', text: (n) => `$sum($map([1..${n}], function($v)<n:n>{ $v * 2 + 1 }))` },
  { path: 'jsonata', name: 'recursion', text: (n) => `($f := function($n)<n:n>{ $n <= 0 ? 0 : 1 + $f($n - 1) }; $f(${n}))` },
  { path: 'jsonata', name: 'sort', text: (n) => `$count($sort([1..${n}], function($a, $b)<nn:b>{ $a < $b }))` },
  { path: 'jsonata', name: 'distinct', text: (n) => `$count($distinct([1..${n}]))` },
  { path: 'jsonata', name: 'regex', text: (n) => `$count($match($pad('', ${n}, 'a'), /[aeiou]/))` },
  { path: 'jsonata', name: 'string builtins', text: (n) => `$count($map([1..${n}], function($v)<n:s>{ $replace($pad($string($v), 20, '#'), '#', '-') }))` },
]; // biome-ignore format: one candidate a line

export interface ExpressionCase {
  path: Path;
  name: string;
  /** The largest size inside the budget, and the expression at that size. */
  n: number;
  expression: string;
  /** Slowest workflow task of the run (WorkflowTaskStarted to Completed), median over runs. */
  taskMs: number;
}

export interface ExpressionsResult {
  budget: typeof EXPRESSION_BUDGET;
  cases: ExpressionCase[];
  /** Slowest task of a trivial expression (`1 + 1`), median over runs: the baseline. */
  baselineMs: number;
  /** Slowest case per path, against the baseline and as a share of the 5 s isolate limit. */
  worst: Record<
    Path,
    { name: string; taskMs: number; ratioOfBaseline: number; ratioOfLimit: number }
  >;
}

const ROOT: ExpressionRoot = {
  input: {},
  vars: {},
  workflow: { id: 'b', runId: 'r', type: 't', taskQueue: 'q', now: '', startTime: '' },
};

async function inBudget(text: string): Promise<boolean> {
  try {
    await evaluateExpression(text, ROOT, 'bench');
    return true;
  } catch {
    return false;
  }
}

/** The largest n (to within 3%) for which the expression passes the budget. */
async function largest(text: (n: number) => string): Promise<number> {
  let lo = 1;
  let hi = 2;
  while (hi < 1e9 && (await inBudget(text(hi)))) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > Math.max(1, lo * 0.03)) {
    const mid = Math.floor((lo + hi) / 2);
    if (await inBudget(text(mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}

const EVENT = proto.temporal.api.enums.v1.EventType;

function millis(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
}

/** Runs the expression in a `set` on the interpreter's worker; the slowest task's ms. */
export async function taskMs(env: BenchEnv, expression: string): Promise<number> {
  const flow = compileText(
    JSON.stringify({ flow: 'bench-expr', steps: [{ set: { r: `\${ ${expression} }` } }] }),
  );
  const args: FlowRunInput = { flow, input: {} };
  const handle = await env.client.workflow.start(flow.flow, {
    taskQueue: env.workers.interpreter.taskQueue,
    workflowId: `bench-expr-${randomUUID()}`,
    args: [args],
    // A task over the isolate limit is retried for ever: stop the run and report the limit.
    workflowExecutionTimeout: '20s',
  });
  try {
    await handle.result();
  } catch {
    return Number.POSITIVE_INFINITY;
  }
  const events = (await handle.fetchHistory()).events ?? [];
  let started = 0;
  let slowest = 0;
  for (const e of events) {
    if (e.eventType === EVENT.EVENT_TYPE_WORKFLOW_TASK_STARTED) started = millis(e.eventTime);
    if (e.eventType === EVENT.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      slowest = Math.max(slowest, millis(e.eventTime) - started);
    }
  }
  return slowest;
}

export async function benchExpressions(
  env: BenchEnv,
  runs: number,
  log: (line: string) => void,
): Promise<ExpressionsResult> {
  await taskMs(env, '1 + 1');
  const base: number[] = [];
  for (let i = 0; i < Math.max(3, runs); i++) base.push(await taskMs(env, '1 + 1'));
  base.sort((a, b) => a - b);
  const baselineMs = round(base[Math.floor(base.length / 2)] ?? 0, 1);
  log(`expressions: baseline 1 + 1, slowest task ${baselineMs} ms`);
  const cases: ExpressionCase[] = [];
  for (const c of CANDIDATES) {
    const n = await largest(c.text);
    const expression = c.text(n);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(await taskMs(env, expression));
    samples.sort((a, b) => a - b);
    const ms = round(samples[Math.floor(samples.length / 2)] ?? 0, 1);
    log(`expressions: ${c.path} ${c.name}: n = ${n}, slowest task ${ms} ms`);
    cases.push({ path: c.path, name: c.name, n, expression, taskMs: ms });
  }
  const worst = (path: Path) => {
    const mine = cases.filter((c) => c.path === path);
    const top = mine.reduce((a, b) => (b.taskMs > a.taskMs ? b : a), mine[0]!);
    return {
      name: top.name,
      taskMs: top.taskMs,
      ratioOfBaseline: round(top.taskMs / Math.max(baselineMs, 1), 1),
      ratioOfLimit: round(top.taskMs / ISOLATE_LIMIT_MS, 3),
    };
  };
  return {
    budget: EXPRESSION_BUDGET,
    baselineMs,
    cases,
    worst: { fast: worst('fast'), jsonata: worst('jsonata') },
  };
}
