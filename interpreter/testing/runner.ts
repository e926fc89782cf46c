import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Registry } from '../activities';
import {
  ClientError,
  type FlowOutcome,
  flowOutcome,
  flowTaskQueues,
  isolateTaskQueues,
  startFlow,
} from '../client';
import { parseDuration } from '../dsl';
import {
  type CompiledFlow,
  type FlowProgress,
  PROGRESS_QUERY,
  toPointer,
  VARS_QUERY,
} from '../model';
import { runWorkers } from '../worker';
import { type Actual, checkOutcome, type Mismatch, matchValue } from './expect';
import { takeOverMockedExternals } from './external';
import type { LoadedTestFile } from './load';
import { MockBoard, mockedActivities } from './mocks';
import type { TestServer } from './server';
import type { TestCase, TestEvent } from './spec';

export interface CaseResult {
  name: string;
  index: number;
  /** Where the case starts in its test file. */
  line: number;
  col: number;
  passed: boolean;
  mismatches: (Mismatch & { line: number; col: number })[];
  ms: number;
  workflowId: string;
  actual?: Actual;
}

/** A case whose run has ended (or never started), before its expectations are checked. */
interface Executed {
  c: TestCase;
  index: number;
  started: number;
  workflowId: string;
  mismatches: Mismatch[];
  handle?: Awaited<ReturnType<typeof startFlow>>['handle'];
  outcome?: FlowOutcome;
  input?: unknown;
}

export interface FileResult {
  file: string;
  flow: string;
  cases: CaseResult[];
  ms: number;
}

export interface RunOptions {
  server: TestServer;
  registry: Registry;
  /** Only the cases whose name contains this text. */
  filter?: string;
  /** Cases run side by side (those without timed events); default 16. */
  concurrency?: number;
  /** Called as each file finishes. */
  onFile?: (result: FileResult) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const debug = process.env.WEFT_TEST_DEBUG
  ? (line: string) => console.error(`[weft test ${new Date().toISOString()}] ${line}`)
  : () => {};

/** Every activity name a file's mocks give that no plugin provides (served by mocks alone). */
/** Every mock key of the files as written: activity names, step ids, `step#i`, compensations. */
function mockKeys(files: LoadedTestFile[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    const all = [f.spec.mocks ?? {}, ...f.spec.cases.map((c) => c.mocks ?? {})];
    for (const mocks of all) for (const k of Object.keys(mocks)) names.add(k);
  }
  return names;
}

/** The same with `step#i` read as its step's id. */
function mockedKeys(files: LoadedTestFile[]): Set<string> {
  return new Set([...mockKeys(files)].map((k) => k.replace(/#[0-9.]+/g, '')));
}

function mockOnlyNames(files: LoadedTestFile[], registry: Registry): Set<string> {
  return new Set([...mockKeys(files)].filter((n) => !registry.has(n)));
}

/**
 * Runs every case of the loaded test files on the test server, with one worker per task queue
 * for all of them: mocks are looked up per run (see MockBoard), unmocked activities run the real
 * plugins. Cases without timed events run side by side with time skipping on; cases with events
 * run one at a time, since the clock is shared and each needs its own flow times.
 */
export async function runTestFiles(
  files: LoadedTestFile[],
  options: RunOptions,
): Promise<FileResult[]> {
  const { server, registry } = options;
  const taskQueue = `weft-test-${randomUUID().slice(0, 8)}`;
  const flows = new Map<LoadedTestFile, CompiledFlow>(
    files.map((f) => [f, isolateTaskQueues(f.flow, taskQueue).flow]),
  );
  const mockOnly = mockOnlyNames(files, registry);
  for (const [file, flow] of flows) {
    for (const name of takeOverMockedExternals(flow, mockedKeys([file]), taskQueue))
      mockOnly.add(name);
  }
  const queues = [...flows.values()].flatMap((flow) => flowTaskQueues(flow, taskQueue));
  const board = new MockBoard();
  const workers = await runWorkers({
    connection: server.connection,
    namespace: server.namespace,
    taskQueues: queues,
    registry,
    activityFunctions: mockedActivities(registry.activities(), mockOnly, board),
    // A test is over when its run is: in-flight mocks of a cancelled case need no grace.
    shutdownGraceTime: '1s',
  });
  debug('workers ready');
  const results: FileResult[] = [];
  try {
    for (const file of files) {
      const started = Date.now();
      const run = new FileRun(file, flows.get(file)!, taskQueue, server, board);
      const picked = file.spec.cases
        .map((c, index) => ({ c, index }))
        .filter(({ c }) => !options.filter || c.name.includes(options.filter));
      const cases: CaseResult[] = [];
      const together = picked.filter(({ c }) => (c.events?.length ?? 0) === 0);
      const alone = picked.filter(({ c }) => (c.events?.length ?? 0) > 0);
      const size = options.concurrency ?? 16;
      const executed: Executed[] = [];
      await server.skipping(() =>
        pool(together, size, async ({ c, index }) => {
          executed.push(await run.execute(c, index, true));
        }),
      );
      await pool(executed, size, async (e) => {
        cases.push(await run.inspect(e));
      });
      for (const { c, index } of alone) {
        cases.push(await run.inspect(await run.execute(c, index, false)));
      }
      cases.sort((a, b) => a.index - b.index);
      const result = { file: file.file, flow: file.flow.flow, cases, ms: Date.now() - started };
      results.push(result);
      options.onFile?.(result);
    }
  } finally {
    debug('stopping the workers');
    await workers.shutdown();
    debug('workers stopped');
  }
  return results;
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
}

class FileRun {
  constructor(
    private readonly file: LoadedTestFile,
    private readonly flow: CompiledFlow,
    private readonly taskQueue: string,
    private readonly server: TestServer,
    private readonly board: MockBoard,
  ) {}

  private position(at: (string | number)[]) {
    const { sourceMap } = this.file;
    // The deepest part of the path the file has: an expectation may be absent (status default).
    for (let n = at.length; n >= 0; n--) {
      const pointer = toPointer(at.slice(0, n));
      if (sourceMap.has(pointer)) return sourceMap.position(pointer);
    }
    return { line: 1, col: 1 };
  }

  /**
   * Starts the case's run, sends its events and waits for its end. `skipping`: time skipping is
   * already on (cases side by side); else it is on only while this waits for the end.
   */
  async execute(c: TestCase, index: number, skipping: boolean): Promise<Executed> {
    const started = Date.now();
    const base = ['cases', index];
    const workflowId = `weft-test-${this.flow.flow}-${randomUUID().slice(0, 8)}-${index}`;
    const executed: Executed = { c, index, started, workflowId, mismatches: [] };
    const { mismatches } = executed;
    this.board.register(workflowId, c.name, { ...this.file.spec.mocks, ...c.mocks });
    const timeoutMs =
      parseDuration(c.timeout ?? this.file.spec.timeout ?? DEFAULT_TIMEOUT_MS) ??
      DEFAULT_TIMEOUT_MS;
    try {
      const input = c.input ?? {};
      let handle: Awaited<ReturnType<typeof startFlow>>['handle'];
      try {
        ({ handle } = await startFlow(this.server.client, this.flow, input, {
          taskQueue: this.taskQueue,
          workflowId,
        }));
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        mismatches.push({
          at: [...base, 'input'],
          what: 'input',
          message: `the flow did not start: ${err.message}`,
        });
        return executed;
      }
      debug(`${workflowId} started`);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const work = (async () => {
        await this.sendEvents(c, base, handle, mismatches);
        return skipping ? flowOutcome(handle) : this.server.skipping(() => flowOutcome(handle));
      })();
      const outcome: FlowOutcome | 'timeout' = await Promise.race([work, timedOut]);
      clearTimeout(timer);
      debug(`${workflowId} ended`);
      if (outcome === 'timeout') {
        const progress = await handle.query<FlowProgress>(PROGRESS_QUERY).catch(() => undefined);
        await handle.terminate('weft test: the case timed out').catch(() => undefined);
        work.catch(() => undefined);
        mismatches.push({
          at: c.timeout !== undefined ? [...base, 'timeout'] : base,
          what: 'timeout',
          message: `the run did not finish within ${timeoutMs} ms of wall time${progress?.current.length ? `; it was at ${progress.current.join(', ')}` : ''} (a wait with no timeout and no signal, or a mock with a long delay?)`,
        });
        return executed;
      }
      return { ...executed, handle, outcome, input };
    } finally {
      this.board.unregister(workflowId);
    }
  }

  /**
   * Reads the finished run's steps and vars and checks the expectations. Called with time
   * skipping off: the test server skips time under a waiting query of a closed run too, and the
   * query then waits for its retry.
   */
  async inspect(executed: Executed): Promise<CaseResult> {
    const { c, index, started, workflowId, mismatches, handle, outcome } = executed;
    if (!handle || !outcome) return this.result(c, index, started, workflowId, mismatches);
    const [progress, vars] = await Promise.all([
      this.finalQuery<FlowProgress>(handle, PROGRESS_QUERY),
      this.finalQuery<Record<string, unknown>>(handle, VARS_QUERY),
    ]);
    debug(`${workflowId} queried`);
    const actual: Actual = {
      status: outcome.status,
      input: executed.input,
      steps: progress?.steps ?? [],
      ...(outcome.status === 'completed' ? { output: outcome.output } : { error: outcome.error }),
      ...(vars ? { vars } : {}),
    };
    mismatches.push(...(await checkOutcome(c.expect, actual, ['cases', index])));
    return this.result(c, index, started, workflowId, mismatches, actual);
  }

  /**
   * A query on the finished run (the worker replays it). The Java test server now and then
   * leaves such a query unanswered until the call is retried, so each try has a short deadline.
   */
  private async finalQuery<T>(
    handle: Awaited<ReturnType<typeof startFlow>>['handle'],
    name: string,
  ): Promise<T | undefined> {
    const connection = this.server.client.connection;
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        return await connection.withDeadline(Date.now() + 2_000 * attempt, () =>
          handle.query<T>(name),
        );
      } catch (err) {
        debug(`${handle.workflowId}: query ${name} failed (${(err as Error).message})`);
      }
    }
    return undefined;
  }

  private result(
    c: TestCase,
    index: number,
    started: number,
    workflowId: string,
    mismatches: Mismatch[],
    actual?: Actual,
  ): CaseResult {
    const where = this.file.casePositions[index] ?? { line: 1, col: 1 };
    return {
      name: c.name,
      index,
      line: where.line,
      col: where.col,
      passed: mismatches.length === 0,
      mismatches: mismatches.map((m) => ({ ...m, ...this.position(m.at) })),
      ms: Date.now() - started,
      workflowId,
      ...(actual ? { actual } : {}),
    };
  }

  /** Sends the case's events in flow-time order, letting time pass up to each one. */
  private async sendEvents(
    c: TestCase,
    base: (string | number)[],
    handle: Awaited<ReturnType<typeof startFlow>>['handle'],
    mismatches: Mismatch[],
  ): Promise<void> {
    const events = (c.events ?? [])
      .map((e, j) => ({ e, j, at: parseDuration(e.at ?? 0) ?? 0 }))
      .sort((a, b) => a.at - b.at || a.j - b.j);
    let now = 0;
    for (const { e, j, at } of events) {
      await this.server.advance(at - now);
      now = at;
      const where = [...base, 'events', j];
      const label = eventLabel(e, j);
      try {
        await this.send(e, handle, where, label, mismatches);
      } catch (err) {
        const ended = /already completed|not found/i.test((err as Error).message);
        mismatches.push({
          at: where,
          what: label,
          message: ended
            ? `${label}: the run had already ended at ${e.at ?? 0}`
            : `${label} failed: ${(err as Error).message}`,
        });
      }
    }
  }

  private async send(
    e: TestEvent,
    handle: Awaited<ReturnType<typeof startFlow>>['handle'],
    where: (string | number)[],
    label: string,
    mismatches: Mismatch[],
  ): Promise<void> {
    const args = e.payload === undefined ? [] : [e.payload];
    let value: unknown;
    if (e.signal !== undefined) {
      await handle.signal(e.signal, ...args);
      return;
    }
    if (e.cancel) {
      await handle.cancel();
      return;
    }
    if (e.update !== undefined) {
      try {
        value = await handle.executeUpdate(e.update, { args: args as [unknown] });
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError)) throw err;
        if (!e.rejected) {
          mismatches.push({
            at: where,
            what: label,
            message: `${label} was rejected: ${err.cause?.message ?? err.message}`,
          });
        }
        return;
      }
      if (e.rejected) {
        mismatches.push({
          at: [...where, 'rejected'],
          what: label,
          message: `${label} was accepted (output ${JSON.stringify(value)}), expected a rejection`,
        });
        return;
      }
    } else if (e.query !== undefined) {
      value = await handle.query(e.query, ...args);
    }
    if (e.expect === undefined) return;
    const messages = await matchValue(e.expect, value, label);
    if (messages.length > 0) {
      mismatches.push({
        at: [...where, 'expect'],
        what: label,
        message: messages.join('\n'),
        expected: e.expect,
        actual: value,
      });
    }
  }
}

function eventLabel(e: TestEvent, j: number): string {
  const kind =
    e.signal !== undefined
      ? `signal ${e.signal}`
      : e.update !== undefined
        ? `update ${e.update}`
        : e.query !== undefined
          ? `query ${e.query}`
          : 'cancel';
  return `event ${j + 1} (${kind})`;
}
