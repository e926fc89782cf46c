import type { FlowError, StepProgress } from '../model';
import { meteredJsonata } from '../model/regex-meter';
import { expressionBody } from './load';
import type { Expectation, ExpectedStatus } from './spec';

/** What a case's run ended with, as the expectations see it. */
export interface Actual {
  status: string;
  output?: unknown;
  error?: FlowError;
  vars?: Record<string, unknown>;
  /** Every step that started (not skipped), in the order they started. */
  steps: StepProgress[];
  input: unknown;
}

/** One expectation that did not hold. */
export interface Mismatch {
  /** Where in the test file: pointer segments of the expectation. */
  at: (string | number)[];
  /** `output.total`, `status`, `vars.approved`, `event 2 (update addNote)`. */
  what: string;
  message: string;
  /** Shown as a line diff when both are given. */
  expected?: unknown;
  actual?: unknown;
}

const isExpression = (v: unknown): v is string =>
  typeof v === 'string' && /^\s*\$\{[\s\S]*\}\s*$/.test(v);

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

async function predicate(expression: string, value: unknown): Promise<string | undefined> {
  try {
    const result: unknown = await meteredJsonata(expressionBody(expression)).evaluate(value);
    return result === true ? undefined : `${expression} is ${show(result)}`;
  } catch (err) {
    return `${expression} failed: ${(err as { message?: string }).message ?? String(err)}`;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Compares `actual` with `expected`: equal JSON, except that a `${ … }` string in `expected` is
 * a JSONata predicate over the actual value at that place. `partial` compares only the keys the
 * expected object gives (at the top level). Returns one message per place that differs.
 */
export async function matchValue(
  expected: unknown,
  actual: unknown,
  where: string,
  partial = false,
): Promise<string[]> {
  if (isExpression(expected)) {
    const failed = await predicate(expected, actual);
    return failed ? [`${where}: ${failed}`] : [];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${where}: expected a list, got ${show(actual)}`];
    const out: string[] = [];
    if (expected.length !== actual.length) {
      out.push(`${where}: expected ${expected.length} items, got ${actual.length}`);
    }
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) {
      out.push(...(await matchValue(expected[i], actual[i], `${where}[${i}]`)));
    }
    return out;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return [`${where}: expected a mapping, got ${show(actual)}`];
    const out: string[] = [];
    for (const [k, v] of Object.entries(expected)) {
      if (!(k in actual) && !isExpression(v)) {
        out.push(`${where}.${k}: expected ${show(v)}, got nothing`);
      } else out.push(...(await matchValue(v, actual[k], `${where}.${k}`)));
    }
    if (!partial) {
      for (const k of Object.keys(actual)) {
        if (!(k in expected) && actual[k] !== undefined) {
          out.push(`${where}.${k}: not expected, got ${show(actual[k])}`);
        }
      }
    }
    return out;
  }
  // JSON has no undefined: a missing value and null differ, as the output would print them.
  if (JSON.stringify(expected) === JSON.stringify(actual === undefined ? undefined : actual)) {
    return [];
  }
  return [`${where}: expected ${show(expected)}, got ${show(actual)}`];
}

/** `status` as the case expects it: given, else `failed` with an error, else `completed`. */
export function expectedStatus(expect: Expectation | undefined): ExpectedStatus {
  return expect?.status ?? (expect?.error ? 'failed' : 'completed');
}

/** Checks a finished run against the case's `expect`. */
export async function checkOutcome(
  expect: Expectation | undefined,
  actual: Actual,
  base: (string | number)[],
): Promise<Mismatch[]> {
  const out: Mismatch[] = [];
  const at = (key: string) => [...base, 'expect', key];
  const status = expectedStatus(expect);
  if (actual.status !== status) {
    const why = actual.error
      ? `: ${actual.error.type}: ${actual.error.message}${actual.error.step ? ` (step ${actual.error.step})` : ''}`
      : '';
    out.push({
      at: expect?.status ? at('status') : [...base],
      what: 'status',
      message: `expected ${status}, got ${actual.status}${why}`,
    });
  }
  if (!expect) return out;
  if ('output' in expect) {
    const messages = await matchValue(expect.output, actual.output, 'output');
    if (messages.length > 0) {
      out.push({
        at: at('output'),
        what: 'output',
        message: messages.join('\n'),
        expected: expect.output,
        actual: actual.output,
      });
    }
  }
  if (expect.error) {
    const messages = actual.error
      ? await matchValue(expect.error, actual.error, 'error', true)
      : ['error: expected an error, the run ended without one'];
    if (messages.length > 0) {
      out.push({
        at: at('error'),
        what: 'error',
        message: messages.join('\n'),
        expected: expect.error,
        actual: actual.error,
      });
    }
  }
  const ran = actual.steps.filter((s) => s.status !== 'skipped' && s.status !== 'pending');
  const names = (s: StepProgress) => [s.id, s.stepId];
  if (expect.path) {
    let i = 0;
    for (const step of ran) {
      if (i < expect.path.length && names(step).includes(expect.path[i]!)) i++;
    }
    if (i < expect.path.length) {
      const missing = expect.path[i]!;
      const everRan = ran.some((s) => names(s).includes(missing));
      out.push({
        at: [...at('path'), i],
        what: 'path',
        message: `path: "${missing}" ${everRan ? 'ran, but not in this order' : 'did not run'}; steps that ran: ${ran.map((s) => s.id).join(', ') || 'none'}`,
      });
    }
  }
  expect.notRun?.forEach((id, i) => {
    const step = ran.find((s) => names(s).includes(id));
    if (step) {
      out.push({
        at: [...at('notRun'), i],
        what: 'notRun',
        message: `notRun: "${id}" ran (${step.status})`,
      });
    }
  });
  if (expect.vars) {
    const messages = await matchValue(expect.vars, actual.vars ?? {}, 'vars', true);
    if (messages.length > 0) {
      const shown = Object.fromEntries(Object.keys(expect.vars).map((k) => [k, actual.vars?.[k]]));
      out.push({
        at: at('vars'),
        what: 'vars',
        message: messages.join('\n'),
        expected: expect.vars,
        actual: shown,
      });
    }
  }
  if (expect.assert) {
    const root = {
      status: actual.status,
      output: actual.output,
      error: actual.error,
      vars: actual.vars,
      path: ran.map((s) => s.id),
      input: actual.input,
    };
    for (const [i, expression] of expect.assert.entries()) {
      const failed = await predicate(expression, root);
      if (failed) out.push({ at: [...at('assert'), i], what: 'assert', message: failed });
    }
  }
  return out;
}

/**
 * A line diff of two JSON values (`-` expected, `+` actual, two lines of context), the way a
 * test runner shows a failed deep-equal.
 */
export function jsonDiff(expected: unknown, actual: unknown): string[] {
  const a = (JSON.stringify(expected, null, 2) ?? 'undefined').split('\n');
  const b = (JSON.stringify(actual, null, 2) ?? 'undefined').split('\n');
  if (a.length * b.length > 250_000) {
    return [...a.map((l) => `- ${l}`), ...b.map((l) => `+ ${l}`)];
  }
  // Longest common subsequence, from the end, so the walk below reads forwards.
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const lines: { mark: ' ' | '-' | '+'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      lines.push({ mark: ' ', text: a[i]! });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      lines.push({ mark: '-', text: a[i]! });
      i++;
    } else {
      lines.push({ mark: '+', text: b[j]! });
      j++;
    }
  }
  const keep = lines.map((_line, k) =>
    lines.slice(Math.max(0, k - 2), k + 3).some((near) => near.mark !== ' '),
  );
  const out: string[] = [];
  lines.forEach((l, k) => {
    if (keep[k]) out.push(`${l.mark} ${l.text}`);
    else if (keep[k - 1]) out.push('  …');
  });
  return out;
}
