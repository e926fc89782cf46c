import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, round } from '../stats';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/weft.mjs', import.meta.url));
const CASES = 20;

export interface WeftTestResult {
  runs: number;
  cases: number;
  /** Medians, ms of wall time per `weft test` process, start-up and server included. */
  sleepMs: number;
  /** The same cases on the same flow without its 30-day sleep. */
  baselineMs: number;
  ratio: number;
  server: string;
}

function flow(sleep: boolean): string {
  return [
    `flow: bench-${sleep ? 'sleep' : 'nosleep'}`,
    'steps:',
    ...(sleep ? ['  - id: nap', '    sleep: 30d'] : ['  - id: nap', '    log: no sleep']),
    '  - id: greet',
    '    activity: bench.greet',
    '    input: { n: "${ input.n }" }',
    '    result: greeting',
    'output: "${ vars.greeting }"',
    '',
  ].join('\n');
}

function tests(): string {
  const cases = Array.from(
    { length: CASES },
    (_, i) => `  - name: case ${i}\n    input: { n: ${i} }\n    expect: { output: { n: ${i} } }`,
  );
  return [
    'mocks:',
    '  bench.greet: { result: { n: "${ input.n }" } }',
    'cases:',
    ...cases,
    '',
  ].join('\n');
}

function wallMs(file: string): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'test', file], { cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`weft test ${file} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return { ms, stdout: r.stdout };
}

/**
 * Issue 16: a 20-case test file of a flow with a 30-day sleep, as a user runs it (a fresh
 * `weft test` process: the CLI, the Java test server, a worker, every case), beside the same
 * cases on the same flow without the sleep, interleaved so load affects both alike.
 */
export function benchWeftTest(runs: number): WeftTestResult {
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-test-'));
  try {
    for (const sleep of [true, false]) {
      const name = sleep ? 'sleep' : 'nosleep';
      writeFileSync(join(dir, `${name}.flow.yaml`), flow(sleep));
      writeFileSync(join(dir, `${name}.test.yaml`), tests());
    }
    // Builds the CLI cache and fetches the test server if needed: paid once, not measured.
    const warm = wallMs(join(dir, 'nosleep.test.yaml'));
    const sleep: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < runs; i++) {
      sleep.push(wallMs(join(dir, 'sleep.test.yaml')).ms);
      baseline.push(wallMs(join(dir, 'nosleep.test.yaml')).ms);
    }
    return {
      runs,
      cases: CASES,
      sleepMs: round(median(sleep), 0),
      baselineMs: round(median(baseline), 0),
      ratio: round(median(sleep) / median(baseline)),
      server: /on the ([a-z -]+ server)/.exec(warm.stdout)?.[1] ?? 'unknown',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
