import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TEMPORAL_CLI_VERSION } from '../interpreter/temporal';
import { chartSvg } from './chart';
import { benchRegistry, openEnv, SERVER_CONFIG } from './env';
import type { BenchResults, Machine } from './results';
import { benchCliStartup } from './sections/cli-startup';
import { benchCluster, CLUSTER_SERVER, clusterUnavailable } from './sections/cluster';
import { benchDesigner, designerUnavailable } from './sections/designer';
import { benchExpressions } from './sections/expressions';
import { benchFanOut } from './sections/fan-out';
import { benchMemory, type MemoryPlan } from './sections/memory';
import { benchPackage } from './sections/package';
import { benchReplay } from './sections/replay';
import { benchSequential } from './sections/sequential';
import { benchServeRss } from './sections/serve-rss';
import { benchValidation, type ValidationResult } from './sections/validation';
import { benchValidationCli } from './sections/validation-cli';
import { benchWeftTest } from './sections/weft-test';
import { formatTable, formatTargets } from './table';
import { checkTargets } from './targets';

const SECTIONS = [
  'cli',
  'validation',
  'sequential',
  'fan-out',
  'replay',
  'memory',
  'serve-rss',
  'designer',
  'expressions',
  'package',
  'cluster',
  'weft-test',
] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `npm run bench [-- --quick] [-- --json out.json] [-- --only a,b] [-- --runs N]
  --quick        N = 100 only, 5 runs (a few minutes)
  --json FILE    also write the results as JSON
  --only LIST    some of: ${SECTIONS.join(', ')} (replay needs sequential;
                 cluster runs when the cluster tier's server is built, or when named here)
  --runs N       runs per measure instead of the defaults (at least 1)
  --chart FILE   where to draw the SVG chart (default bench/results/bench.svg)`;

export interface Plan {
  quick: boolean;
  sections: Set<Section>;
  sequentialSteps: number[];
  runs: number;
  /** N = 1000 runs take ~50 s each on two shared cores; the full run stays under 20 minutes. */
  runsLarge: number;
  fanOut: { items: number; concurrency: number; runs: number };
  replay: { runs: number; copies: number };
  /** In-process medians by size; then `cliSteps` as the CLI validates it, `cliRuns` processes. */
  validation: { steps: number[]; runs: number; cliSteps: number; cliRuns: number };
  /** Processes per measure of the CLI start-up section (and of the installed package's). */
  cliRuns: number;
  memory: MemoryPlan;
  designer: { sizes: number[]; runs: { navigate: number; keystroke: number; canvasEdit: number } };
  /** Short flows started through `weft serve`'s API before its RSS is read again. */
  serveRssFlows: number;
  expressions: { runs: number };
  cluster: { flows: number; steps: number; runs: number; asked: boolean };
}

export function plan(quick: boolean, runs?: number, only?: Section[]): Plan {
  const r = runs ?? (quick ? 5 : 10);
  return {
    quick,
    sections: new Set(only ?? SECTIONS),
    sequentialSteps: quick ? [100] : [10, 100, 1000],
    runs: r,
    runsLarge: runs ?? 3,
    fanOut: { items: 200, concurrency: 20, runs: r },
    replay: { runs: runs ?? 5, copies: 2 },
    validation: {
      steps: [100, 1000, 10_000],
      runs: quick ? 3 : 5,
      cliSteps: 1000,
      cliRuns: quick ? 5 : 9,
    },
    cliRuns: quick ? 5 : 11,
    memory: quick
      ? { base: 200, blocked: 200, steps: 2, runs: 1 }
      : { base: 300, blocked: 400, steps: 3, runs: 3 },
    designer: {
      sizes: [300, 1000],
      runs: quick
        ? { navigate: 2, keystroke: 4, canvasEdit: 3 }
        : { navigate: 5, keystroke: 10, canvasEdit: 6 },
    },
    serveRssFlows: 300,
    expressions: { runs: quick ? 1 : 3 },
    cluster: {
      flows: quick ? 100 : 200,
      steps: 5,
      runs: quick ? 1 : 3,
      asked: !!only?.includes('cluster'),
    },
  };
}

function sdkVersion(): string {
  const file = fileURLToPath(import.meta.resolve('@temporalio/worker/package.json'));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function machine(serverKind: string): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    os: `${platform()} ${release()}`,
    node: process.versions.node,
    temporalSdk: sdkVersion(),
    temporalServer: serverKind,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

const log = (line: string) => console.error(`[bench] ${line}`);

/**
 * Runs one section; a failure is recorded and the others still run, so one broken part never
 * costs the figures of the rest.
 */
async function guarded(results: BenchResults, name: string, fn: () => Promise<void>) {
  try {
    await fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`${name} failed: ${message}`);
    results.errors = { ...results.errors, [name]: message };
  }
}

export async function runBench(p: Plan): Promise<BenchResults> {
  const results: BenchResults = {
    quick: p.quick,
    startedAt: new Date().toISOString(),
    machine: machine('not started'),
    serverConfig: SERVER_CONFIG,
    skipped: {},
  };
  const t0 = performance.now();
  const want = (s: Section) => p.sections.has(s);

  if (want('cli')) {
    log(`cli: weft --version and weft validate beside node -e 0, ${p.cliRuns} runs`);
    await guarded(results, 'cli', async () => {
      results.cli = benchCliStartup(p.cliRuns);
    });
  }

  if (want('validation')) {
    await guarded(results, 'validation', async () => {
      const manifest = benchRegistry().manifest();
      const out: ValidationResult[] = [];
      for (const steps of p.validation.steps) {
        for (const format of ['yaml', 'json'] as const) {
          log(`validation: ${steps} steps (${format})`);
          out.push(benchValidation(steps, p.validation.runs, manifest, format));
        }
      }
      results.validation = out;
    });
    const { cliSteps, cliRuns } = p.validation;
    log(
      `validation: ${cliSteps} steps as weft validate reads them, ${cliRuns} processes per reader`,
    );
    await guarded(results, 'validation-cli', async () => {
      results.validationCli = await benchValidationCli(cliSteps, cliRuns);
    });
  }

  if (want('package')) {
    log(`package: npm pack, install into an empty project, weft --version, ${p.cliRuns} runs`);
    await guarded(results, 'package', async () => {
      results.package = await benchPackage(p.cliRuns);
    });
  }

  if (want('cluster')) {
    // Its own cluster (PostgreSQL, four services); unasked, only where the tier has been built.
    const why = p.cluster.asked ? undefined : clusterUnavailable();
    if (why) results.skipped = { ...results.skipped, cluster: why };
    else {
      const { flows, steps, runs } = p.cluster;
      log(
        `cluster: ${flows} flows x ${steps} steps, ${runs} batches per side, then 1 -> 2 workers`,
      );
      await guarded(results, 'cluster', async () => {
        results.cluster = await benchCluster({ flows, steps, runs }, log);
        results.machine = machine(CLUSTER_SERVER);
      });
    }
  }

  if (want('weft-test')) {
    const runs = p.quick ? 1 : 3;
    log(`weft-test: 20 cases of a flow with a 30-day sleep, and without it, ${runs} runs each`);
    await guarded(results, 'weft-test', async () => {
      results.weftTest = benchWeftTest(runs);
    });
  }

  // Every section but these runs flows on the Temporal dev server (cluster and weft-test start
  // their own servers).
  const needsServer = SECTIONS.some(
    (s) =>
      s !== 'cli' &&
      s !== 'validation' &&
      s !== 'package' &&
      s !== 'cluster' &&
      s !== 'weft-test' &&
      want(s),
  );
  if (needsServer) {
    log('starting the Temporal server and one worker per side');
    const env = await openEnv(log);
    results.machine = machine(
      env.server.external
        ? `external (${env.server.address})`
        : `temporal CLI ${TEMPORAL_CLI_VERSION} dev server`,
    );
    try {
      if (want('sequential') || want('replay')) {
        await guarded(results, 'sequential', async () => {
          const bySteps: NonNullable<BenchResults['sequentialBySteps']> = {};
          let histories: Awaited<ReturnType<typeof benchSequential>>['histories'] | undefined;
          let historySteps = 0;
          for (const steps of p.sequentialSteps) {
            const runs = steps >= 1000 ? p.runsLarge : p.runs;
            log(`sequential: N = ${steps}, ${runs} runs per side, interleaved`);
            const outcome = await benchSequential(env, steps, runs);
            bySteps[String(steps)] = outcome.result;
            histories = outcome.histories;
            historySteps = steps;
          }
          results.sequentialBySteps = bySteps;
          results.sequential = bySteps['100'] ?? Object.values(bySteps)[0];
          if (want('replay') && histories) {
            log(`replay: ${historySteps}-step histories, ${p.replay.runs} runs per side`);
            results.replay = await benchReplay(
              histories,
              historySteps,
              p.replay.runs,
              p.replay.copies,
            );
          }
        });
      }
      if (want('fan-out')) {
        const f = p.fanOut;
        log(`fan-out: ${f.items} items, concurrency ${f.concurrency}, ${f.runs} runs per side`);
        await guarded(results, 'fan-out', async () => {
          results.fanOut = await benchFanOut(env, f.items, f.concurrency, f.runs);
        });
      }
      if (want('expressions')) {
        log(`expressions: the largest in-budget expressions, ${p.expressions.runs} runs each`);
        await guarded(results, 'expressions', async () => {
          results.expressions = await benchExpressions(env, p.expressions.runs, log);
        });
      }
      const server = { address: env.server.address, namespace: env.server.namespace };
      if (want('memory')) {
        const m = p.memory;
        log(
          `memory: ${m.base} + ${m.steps} x ${m.blocked} blocked flows, ${m.runs} processes per side`,
        );
        await guarded(results, 'memory', async () => {
          results.memory = await benchMemory(server, p.memory);
        });
      }
      if (want('serve-rss')) {
        log(`serve-rss: weft serve RSS before and after ${p.serveRssFlows} flows`);
        await guarded(results, 'serve-rss', async () => {
          results.serveRss = await benchServeRss(server, p.serveRssFlows);
        });
      }
      if (want('designer')) {
        const why = designerUnavailable();
        if (why) results.skipped = { ...results.skipped, designer: why };
        else {
          log(`designer: ${p.designer.sizes.join(' and ')} steps`);
          await guarded(results, 'designer', async () => {
            results.designer = await benchDesigner(server, p.designer.sizes, p.designer.runs);
          });
        }
      }
    } finally {
      await env.close();
    }
  }
  results.durationS = Math.round((performance.now() - t0) / 1000);
  results.targets = checkTargets(results);
  if (Object.keys(results.skipped ?? {}).length === 0) delete results.skipped;
  return results;
}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      only: { type: 'string' },
      runs: { type: 'string' },
      chart: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  const only = values.only?.split(',').map((s) => s.trim());
  for (const s of only ?? []) {
    if (!SECTIONS.includes(s as Section)) throw new Error(`--only: unknown section '${s}'`);
  }
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1)) {
    throw new Error('--runs must be a whole number of at least 1');
  }
  return { ...values, only: only as Section[] | undefined, runs };
}

export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const results = await runBench(plan(args.quick, args.runs, args.only));
  console.log(formatTable(results));
  console.log('');
  console.log(formatTargets(results.targets ?? []));
  const m = results.machine;
  console.log(
    `\n${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; Temporal SDK ${m.temporalSdk}; ${m.temporalServer}; load ${m.loadAverage.join(' ')}; ${results.durationS} s`,
  );
  if (args.json) {
    const file = resolve(args.json);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`results: ${file}`);
  }
  const chart = resolve(
    args.chart ?? fileURLToPath(new URL('./results/bench.svg', import.meta.url)),
  );
  mkdirSync(dirname(chart), { recursive: true });
  writeFileSync(chart, chartSvg(results, results.targets ?? []));
  console.log(`chart: ${chart}`);
  return results.errors ? 1 : 0;
}
