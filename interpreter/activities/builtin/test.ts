import { appendFileSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainThread } from 'node:worker_threads';
import { durationMs } from '../duration';
import { defineActivity, definePlugin } from '../types';

/**
 * Helpers for Weft's own tests and for trying flows out: deterministic, side effects only where
 * asked (test.count writes to a file so a crash test can count executions across processes).
 */

const echo = defineActivity<unknown, unknown>({
  name: 'test.echo',
  description: 'Returns its input unchanged.',
  run: (input) => input ?? null,
});

export interface FailInput {
  type?: string;
  message?: string;
  nonRetryable?: boolean;
  /** Fail the first `failTimes` attempts, then succeed with `result`. Absent: always fail. */
  failTimes?: number;
  result?: unknown;
  details?: unknown;
}

const fail = defineActivity<FailInput, unknown>({
  name: 'test.fail',
  description:
    'Fails with error type `type` (default TestFailure) and `message`; non-retryable if asked. With failTimes, succeeds on attempt failTimes+1 returning `result` (default {attempts}).',
  input: {
    type: 'object',
    properties: {
      type: { type: 'string' },
      message: { type: 'string' },
      nonRetryable: { type: 'boolean' },
      failTimes: { type: 'integer', minimum: 0 },
      result: {},
      details: {},
    },
    additionalProperties: false,
  },
  run(input, ctx) {
    if (input.failTimes !== undefined && ctx.attempt > input.failTimes) {
      return input.result ?? { attempts: ctx.attempt };
    }
    // A plain Error with a name, as a plugin without imports would throw it.
    const err = new Error(input.message ?? `test failure on attempt ${ctx.attempt}`);
    err.name = input.type ?? 'TestFailure';
    throw Object.assign(err, { nonRetryable: input.nonRetryable === true, details: input.details });
  },
});

export interface SleepInput {
  duration: string | number;
  /** Heartbeat this often (default 1s); details are {slept, of} in ms. */
  heartbeatEvery?: string | number;
  result?: unknown;
}

const sleepActivity = defineActivity<SleepInput, unknown>({
  name: 'test.sleep',
  description:
    'Sleeps for `duration`, heartbeating {slept, of}; stops at once when cancelled or timed out. Returns `result` (default {slept}).',
  input: {
    type: 'object',
    required: ['duration'],
    properties: {
      duration: { type: ['string', 'number'] },
      heartbeatEvery: { type: ['string', 'number'] },
      result: {},
    },
    additionalProperties: false,
  },
  async run(input, ctx) {
    const total = durationMs(input.duration);
    const every = Math.max(10, durationMs(input.heartbeatEvery ?? 1000));
    let slept = 0;
    while (slept < total) {
      const step = Math.min(every, total - slept);
      await sleep(step, undefined, { signal: ctx.signal });
      slept += step;
      ctx.heartbeat({ slept, of: total });
    }
    return input.result ?? { slept };
  },
});

export interface CountInput {
  /** A file that gets one line per execution; the test counts the lines. */
  file: string;
  tag?: string;
  result?: unknown;
}

const count = defineActivity<CountInput, unknown>({
  name: 'test.count',
  description:
    'Appends `tag` as a line to `file` (a side effect a test can count across processes) and returns `result` (default {tag, count}).',
  input: {
    type: 'object',
    required: ['file'],
    properties: { file: { type: 'string' }, tag: { type: 'string' }, result: {} },
    additionalProperties: false,
  },
  run(input) {
    const tag = input.tag ?? 'x';
    appendFileSync(input.file, `${tag}\n`);
    const lines = readFileSync(input.file, 'utf8').split('\n');
    return input.result ?? { tag, count: lines.filter((l) => l === tag).length };
  },
});

export interface SpinInput {
  duration: string | number;
}

const spin = defineActivity<SpinInput, { spun: number; mainThread: boolean }>({
  name: 'test.spin',
  description:
    'Busy-loops on the CPU for `duration` in the worker-thread pool, heartbeating {spun} every 50ms.',
  input: {
    type: 'object',
    required: ['duration'],
    properties: { duration: { type: ['string', 'number'] } },
    additionalProperties: false,
  },
  runIn: 'thread',
  run(input, ctx) {
    const total = durationMs(input.duration);
    const start = Date.now();
    let beat = start;
    for (let now = start; now - start < total; now = Date.now()) {
      if (now - beat >= 50) {
        ctx.heartbeat({ spun: now - start });
        beat = now;
      }
    }
    return { spun: Date.now() - start, mainThread: isMainThread };
  },
});

export default definePlugin({
  name: 'test',
  description: 'Helpers for tests: echo, fail, sleep, count, spin',
  activities: [echo, fail, sleepActivity, count, spin],
});
