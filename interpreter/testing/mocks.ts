import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityFunction } from '../activities';
import { parseDuration } from '../dsl';
import { meteredJsonata } from '../model/regex-meter';
import { expressionBody } from './load';
import type { Mock, MockOutcome, Mocks } from './spec';

/** The failure type of an activity a case neither mocks nor has a plugin for. */
export const NOT_MOCKED = 'NotMocked';

/**
 * Which mocks apply to which run. Every case runs as its own workflow, and a child flow's default
 * workflow id is `<parent id>/<step id>`, so an activity finds its case by the first segment of
 * its workflow id: one worker serves every case at once and the workflow code stays as it is.
 */
export class MockBoard {
  private readonly cases = new Map<string, { name: string; mocks: Mocks }>();

  register(workflowId: string, name: string, mocks: Mocks): void {
    this.cases.set(workflowId, { name, mocks });
  }

  unregister(workflowId: string): void {
    this.cases.delete(workflowId);
  }

  lookup(workflowId: string): { name: string; mocks: Mocks } | undefined {
    return this.cases.get(workflowId) ?? this.cases.get(workflowId.split('/')[0]!);
  }
}

/** `charge#2` -> `charge`, `reserve#1.0:compensate` -> `reserve:compensate`. */
export function compiledStepKey(activityId: string): string {
  return activityId.replace(/#[0-9.]+/g, '');
}

function outcomeOf(mock: Mock, attempt: number): MockOutcome {
  if (!mock.attempts) return mock;
  return mock.attempts[Math.min(attempt, mock.attempts.length) - 1]!;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledFailure('cancelled'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new CancelledFailure('cancelled'));
      },
      { once: true },
    );
  });
}

/** The mocked result, with every `${ … }` string in it evaluated over `{input, attempt}`. */
async function resultOf(result: unknown, input: unknown, attempt: number): Promise<unknown> {
  if (typeof result === 'string' && /^\s*\$\{[\s\S]*\}\s*$/.test(result)) {
    return meteredJsonata(expressionBody(result)).evaluate({ input, attempt });
  }
  if (Array.isArray(result)) return Promise.all(result.map((r) => resultOf(r, input, attempt)));
  if (typeof result === 'object' && result !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(result)) out[k] = await resultOf(v, input, attempt);
    return out;
  }
  return result;
}

/**
 * The activities a test worker serves: for each name, a function that runs the case's mock when
 * the case mocks the step (by id) or the activity (by name), and the real plugin otherwise. The
 * names and options the workflow schedules are unchanged, so a mocked run's history has the same
 * shape as a real one.
 */
export function mockedActivities(
  real: Record<string, ActivityFunction>,
  extraNames: Iterable<string>,
  board: MockBoard,
): Record<string, ActivityFunction> {
  const out: Record<string, ActivityFunction> = {};
  for (const name of new Set([...Object.keys(real), ...extraNames])) {
    const plugin = real[name];
    out[name] = async (input: unknown) => {
      const context = Context.current();
      const { activityId, attempt, workflowExecution } = context.info;
      const found = workflowExecution ? board.lookup(workflowExecution.workflowId) : undefined;
      const mock =
        found?.mocks[activityId] ?? found?.mocks[compiledStepKey(activityId)] ?? found?.mocks[name];
      if (!mock) {
        if (plugin) return plugin(input);
        throw ApplicationFailure.create({
          type: NOT_MOCKED,
          message: `activity ${name} (step ${activityId}) is not mocked in case "${found?.name ?? '?'}" and no loaded plugin provides it`,
          nonRetryable: true,
        });
      }
      const outcome = outcomeOf(mock, attempt);
      const ms = parseDuration(outcome.delay ?? 0) ?? 0;
      if (ms > 0) await delay(ms, context.cancellationSignal);
      if (outcome.error) {
        throw ApplicationFailure.create({
          type: outcome.error.type,
          message: outcome.error.message ?? `${outcome.error.type} (mocked)`,
          nonRetryable: outcome.error.nonRetryable === true,
          details: outcome.error.details === undefined ? [] : [outcome.error.details],
        });
      }
      return resultOf(outcome.result, input, attempt);
    };
  }
  return out;
}
