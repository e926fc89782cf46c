import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_ACTIVITIES } from '../../fixtures/plugins/test-activities';
import { testClient, uniqueWorkflowId } from '../../helpers';
import { weft, weftEnv } from './weft';

// Acceptance: `weft run <flow> --plugins <plugin.mjs> --input … --json` with flows and a plugin
// written only to the contract in DESIGN.md (fixtures/), against the test server.
const run = (flow: string, input: unknown, ...extra: string[]) =>
  weft([
    'run',
    flow,
    '--plugins',
    'shop.plugin.mjs',
    TEST_ACTIVITIES,
    '--input',
    JSON.stringify(input),
    '--json',
    ...extra,
  ]);

describe('weft run --json', () => {
  it('sequences, typed expressions and interpolation', async () => {
    const r = await run('sequence.flow.yaml', { x: 40, name: 'ann' });
    expect(r.last()).toEqual({
      status: 'completed',
      output: { sum: 42, text: 'hi ann, the sum is 42', doubled: 84 },
    });
    expect(r.code).toBe(0);
  });

  it('forEach with index and concurrency keeps item order', async () => {
    const r = await run('for-each.flow.yaml', { items: ['a', 'b', 'c'] });
    expect(r.last()).toEqual({ status: 'completed', output: ['0:a', '1:b', '2:c'] });
    expect(r.code).toBe(0);
  });

  it('parallel in all, any and race modes', async () => {
    const r = await run('parallel.flow.yaml', {});
    expect(r.last()).toEqual({
      status: 'completed',
      output: { all: { a: 'A', b: 'B' }, any: 'winner', race: 'PaymentDeclined' },
    });
  });

  it('while, if and switch', async () => {
    const r = await run('control.flow.yaml', { tier: 'silver' });
    expect(r.last()).toEqual({ status: 'completed', output: { n: 3, path: ['then', 'silver'] } });
  });

  it('retries until success', async () => {
    const r = await run('retry.flow.yaml', {});
    expect(r.last()).toEqual({ status: 'completed', output: { attempts: 3 } });
  });

  it('catches a non-retryable failure by type with its message, and runs finally', async () => {
    const r = await run('catch-finally.flow.yaml', { amount: 500 });
    expect(r.last()).toEqual({
      status: 'completed',
      output: { caught: 'PaymentDeclined: card declined for 500 at charge', cleaned: true },
    });
  });

  it('a signal wait that times out, a durable sleep and an early return', async () => {
    const early = await run('wait-sleep.flow.yaml', { early: true });
    expect(early.last()).toEqual({
      status: 'completed',
      output: { approval: 'timed out', returned: 'early' },
    });
    const late = await run('wait-sleep.flow.yaml', { early: false });
    expect(late.last()).toEqual({ status: 'completed', output: 'late' });
  });

  it('compensates newest first, then fails with the original error (exit 1)', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'weft-saga-')), 'saga.log');
    const r = await run('saga.flow.yaml', { log, order: 'A1' });
    expect(r.last()).toEqual({
      status: 'failed',
      error: { type: 'ShippingFailed', message: 'no courier for A1', step: 'ship' },
    });
    expect(r.code).toBe(1);
    expect(readFileSync(log, 'utf8')).toBe('reserve\ncharge\nrefund\nrelease\n');
  });

  it('child flows, a failed child caught as ChildFlowFailed, and fail steps', async () => {
    const r = await run('child.flow.yaml', {});
    expect(r.last()).toEqual({
      status: 'failed',
      error: { type: 'Done', message: 'doubled 42; Rejected: order A1 rejected', step: 'steps.2' },
    });
    expect(r.code).toBe(1);
  });

  it('catches a startToClose timeout as Timeout', async () => {
    const r = await run('timeout.flow.yaml', {});
    expect(r.last()).toEqual({ status: 'completed', output: 'Timeout' });
  });
});

describe('weft run: the server, progress and exit codes', () => {
  it('uses TEMPORAL_ADDRESS and starts no server of its own; progress goes to stderr', async () => {
    const workflowId = uniqueWorkflowId('cli-seq');
    const r = await run('sequence.flow.yaml', { x: 1, name: 'bo' }, '--workflow-id', workflowId);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('started a Temporal dev server');
    expect(r.stderr).toMatch(/✓ add\s+done/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    // The run happened on the test server, under workflow type = flow name, with its hash.
    const d = await (await testClient()).workflow.getHandle(workflowId).describe();
    expect([d.type, d.status.name, typeof d.memo?.weftHash]).toEqual([
      'cli-sequence',
      'COMPLETED',
      'string',
    ]);
  });

  it('without TEMPORAL_ADDRESS, starts an embedded dev server and stops it again', async () => {
    const env = { ...weftEnv() };
    delete env.TEMPORAL_ADDRESS;
    delete env.TEMPORAL_NAMESPACE;
    const r = await weft(
      [
        'run',
        'sequence.flow.yaml',
        '--plugins',
        'shop.plugin.mjs',
        TEST_ACTIVITIES,
        '--input',
        '{"x":2,"name":"cy"}',
        '--json',
      ],
      { env },
    );
    const port = /weft: started a Temporal dev server at 127\.0\.0\.1:(\d+)/.exec(r.stderr)?.[1];
    expect(port).toBeDefined();
    expect([r.code, r.last()]).toEqual([
      0,
      { status: 'completed', output: { sum: 4, text: 'hi cy, the sum is 4', doubled: 8 } },
    ]);
    // Gone with the command: nothing listens on its port any more.
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('without --json, prints step lines and the output on stdout', async () => {
    const r = await weft([
      'run',
      'retry.flow.yaml',
      '--plugins',
      'shop.plugin.mjs',
      '--input-file',
      'empty.input.json',
    ]);
    expect(r.code).toBe(0);
    // Each retry waits 1s (fixtures/retry.flow.yaml), long enough for the 400ms poll to see it.
    expect(r.stdout).toMatch(/↻ flaky\s+retry 1\s+\(last: Flaky: attempt 1 failed\)/);
    expect(r.stdout).toMatch(/↻ flaky\s+retry 2\s+\(last: Flaky: attempt 2 failed\)/);
    expect(r.stdout).toMatch(/✓ flaky\s+done [0-9.]+m?s/);
    expect(r.stdout).toContain('✓ cli-retry completed\n{\n  "attempts": 3\n}\n');
  });

  it('exits 2 with compiler-style diagnostics for an invalid flow, starting nothing', async () => {
    const r = await run('invalid.flow.yaml', {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'invalid.flow.yaml:4:15  error  WEFT023  unknown activity "shop.doesNotExist"',
    );
    expect(r.last()).toMatchObject({ status: 'invalid', error: { type: 'InvalidFlow' } });
  });

  it('exits 2 when the input does not match the flow input schema', async () => {
    const r = await run('sequence.flow.yaml', { x: 1 });
    expect(r.code).toBe(2);
    expect(r.last()).toEqual({
      status: 'invalid',
      error: {
        type: 'InvalidInput',
        message:
          "input does not match the input schema of flow cli-sequence: / must have required property 'name'",
      },
    });
  });

  it('exits 2 on usage errors', async () => {
    expect((await weft(['run'])).code).toBe(2);
    expect((await weft(['run', 'sequence.flow.yaml', '--input', '{bad'])).code).toBe(2);
    expect(
      (await weft(['run', 'sequence.flow.yaml', '--input', '{}', '--input-file', 'x'])).code,
    ).toBe(2);
  });
});

// Issue 12, low: a 10,000-deep object as input failed late ("Unable to convert [object Object]
// to payload", or a stack overflow) instead of a clear refusal.
describe('input nesting depth', () => {
  const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('refuses a 10,000-deep --input with a clear message and exit 2, starting nothing', async () => {
    const r = await weft([
      'run',
      'add.flow.yaml',
      '--plugins',
      'shop.plugin.mjs',
      '--input',
      deep(10_000),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'weft run: --input nests objects and arrays deeper than 100 levels (at /a/a/a/a/a/a/a/a/…)',
    );
    expect(r.stderr).not.toContain('Maximum call stack');
  });

  it('refuses it from --input-file and as a signal payload too', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'weft-deep-')), 'deep.json');
    writeFileSync(file, deep(10_000));
    const run = await weft([
      'run',
      'add.flow.yaml',
      '--plugins',
      'shop.plugin.mjs',
      '--input-file',
      file,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file} nests objects and arrays deeper than 100 levels`);
    const signal = await weft(['signal', 'any-id', 'approve', deep(5_000)]);
    expect(signal.code).toBe(2);
    expect(signal.stderr).toContain('the signal payload nests objects and arrays deeper than 100');
  });

  it('accepts an input exactly at the limit', async () => {
    const atLimit = deep(100);
    const r = await weft(['run', 'echo.flow.yaml', '--input', atLimit, '--json']);
    expect([r.code, r.last()]).toEqual([
      0,
      { status: 'completed', output: JSON.parse(atLimit) as unknown },
    ]);
  });
});
