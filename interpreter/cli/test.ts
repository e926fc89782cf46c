import { existsSync, readdirSync, statSync, watch, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Registry } from '../activities';
import { type Diagnostic, formatDiagnostic } from '../dsl';
import type { LoadedTestFile, TestServer } from '../testing';
import { type Command, EXIT, UsageError } from './command';
import { takePlugins } from './plugin-args';

const usage =
  'weft test [files or folders…] [--plugins <module>…] [--filter <text>] [--reporter text|junit] [--output <file>] [--watch] [--dev-server]';

const debug = process.env.WEFT_TEST_DEBUG
  ? (line: string) => console.error(`[weft test ${new Date().toISOString()}] ${line}`)
  : () => {};

const TEST_FILE = /\.test\.(ya?ml|json)$/i;

/** The test files named, folders searched for `*.test.yaml` (not node_modules or dot folders). */
export function findTestFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (TEST_FILE.test(entry.name)) out.push(path);
    }
  };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(`${p}: no such file or folder`);
    }
    if (isDir) walk(p);
    else out.push(p);
  }
  // Shown as given, relative to the working folder, as compilers print paths.
  return [...new Set(out.map((f) => relative(process.cwd(), resolve(f)) || f))];
}

function parse(args: string[]) {
  const { rest, plugins } = takePlugins(args);
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        filter: { type: 'string' },
        reporter: { type: 'string', default: 'text' },
        output: { type: 'string' },
        watch: { type: 'boolean', default: false },
        'dev-server': { type: 'boolean', default: false },
      },
    });
    if (values.reporter !== 'text' && values.reporter !== 'junit') {
      throw new UsageError(`--reporter must be text or junit, not ${values.reporter}`);
    }
    return { paths: positionals.length > 0 ? positionals : ['.'], plugins, values };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

type Parsed = ReturnType<typeof parse>;

interface Prepared {
  files: LoadedTestFile[];
  registry: Registry;
  /** Everything whose change means a re-run (watch mode). */
  watched: string[];
}

/**
 * Reads the test files, loads the plugins they and the command line name, and checks every file
 * against its flow. Prints the diagnostics; undefined when any is an error (exit 2).
 */
async function prepare(parsed: Parsed): Promise<Prepared | undefined> {
  const testing = await import('../testing');
  const { loadPlugins, PluginError } = await import('../activities');
  const files = findTestFiles(parsed.paths);
  if (files.length === 0) {
    throw new UsageError(`WEFT_TEST_NO_FILES: no *.test.yaml files in ${parsed.paths.join(', ')}`);
  }
  const read = files.map((f) => testing.readTestFile(f));
  const diagnostics: Diagnostic[] = read.flatMap((r) => r.diagnostics);
  const cliPlugins = parsed.plugins.map((p) => (existsSync(p) ? resolve(p) : p));
  const plugins = [...new Set([...cliPlugins, ...read.flatMap((r) => r.plugins)])];
  let registry: Registry;
  try {
    registry = await loadPlugins(plugins, process.cwd());
  } catch (err) {
    if (err instanceof PluginError) throw new UsageError(err.message);
    throw err;
  }
  const loaded: LoadedTestFile[] = [];
  for (const r of read) {
    if (r.diagnostics.length > 0) continue;
    const checked = testing.checkTestFile(r, registry.manifest());
    diagnostics.push(...checked.diagnostics);
    if (checked.loaded) loaded.push(checked.loaded);
  }
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (diagnostics.some((d) => d.severity === 'error')) {
    await registry.close();
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    console.error(`weft test: ${n} error${n === 1 ? '' : 's'}; no case was run`);
    return undefined;
  }
  const watched = [
    ...files,
    ...read.map((r) => r.flowFile),
    ...plugins.filter((p) => existsSync(p)),
  ];
  return { files: loaded, registry, watched };
}

async function runOnce(parsed: Parsed, server: () => Promise<TestServer>) {
  const testing = await import('../testing');
  const started = Date.now();
  const prepared = await prepare(parsed);
  if (!prepared) return { code: EXIT.usage, watched: [] as string[] };
  const junit = parsed.values.reporter === 'junit';
  // With JUnit on stdout, the lines for people go to stderr.
  const say = (line: string) =>
    (junit && !parsed.values.output ? process.stderr : process.stdout).write(`${line}\n`);
  try {
    const s = await server();
    const results = await testing.runTestFiles(prepared.files, {
      server: s,
      registry: prepared.registry,
      ...(parsed.values.filter !== undefined ? { filter: parsed.values.filter } : {}),
      onFile: (r) => {
        for (const line of testing.textReport(r)) say(line);
      },
    });
    const where = s.kind === 'time-skipping' ? 'time-skipping test server' : 'dev server';
    say(testing.summaryLine(results, Date.now() - started, where));
    if (junit) {
      const report = testing.junitReport(results);
      if (parsed.values.output) writeFileSync(parsed.values.output, report);
      else process.stdout.write(report);
    }
    const failed = results.some((r) => r.cases.some((c) => !c.passed));
    return { code: failed ? EXIT.failed : EXIT.ok, watched: prepared.watched };
  } finally {
    await prepared.registry.close();
  }
}

async function run(args: string[]): Promise<number> {
  debug('start');
  const parsed = parse(args);
  const testing = await import('../testing');
  let server: Promise<TestServer> | undefined;
  // The native Runtime, once made, keeps the process alive until its connections close: stop()
  // in `finally` closes them.
  const lazyServer = () => {
    server ??= (async () => {
      const { installRuntime } = await import('../observability/runtime');
      const { JsonLogger } = await import('../observability');
      // The case lines are the interface; SDK logs only when asked for (WEFT_LOG_LEVEL).
      installRuntime({
        logger: new JsonLogger(process.env.WEFT_LOG_LEVEL ? undefined : 'ERROR'),
      });
      const started = await testing.startTestServer({
        prefer: parsed.values['dev-server'] ? 'dev' : 'time-skipping',
      });
      debug('server ready');
      return started;
    })();
    return server;
  };
  // The JVM takes longest to start: start it while the files are read and checked. When a file
  // turns out invalid, the server is stopped unused.
  const headStart = lazyServer();
  headStart.catch(() => undefined);
  try {
    let outcome = await runOnce(parsed, lazyServer);
    if (!parsed.values.watch) return outcome.code;
    // Watch: the server stays up between runs; a save re-reads every file and runs again.
    // Ctrl-C (or SIGTERM) ends the watch, and `finally` stops the server.
    const stop = new Promise<undefined>((done) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        process.once(signal, () => done(undefined));
    });
    for (;;) {
      const next = nextChange(outcome.watched.length > 0 ? outcome.watched : parsed.paths);
      const changed = await Promise.race([next.changed, stop]);
      next.close();
      if (changed === undefined) return outcome.code;
      console.log(`\nweft test: ${changed} changed; running again`);
      outcome = await runOnce(parsed, lazyServer);
    }
  } finally {
    debug('stopping the server');
    if (server) await (await server).stop();
    debug('server stopped');
  }
}

/**
 * Resolves with the first path that changes (watching the files' folders, so editors that save
 * by renaming count); `close` stops watching.
 */
function nextChange(paths: string[]): { changed: Promise<string>; close(): void } {
  const names = new Set(paths.map((p) => resolve(p)));
  const folders = new Set(
    [...names].map((p) => (existsSync(p) && statSync(p).isDirectory() ? p : dirname(p))),
  );
  const watchers: ReturnType<typeof watch>[] = [];
  const close = () => {
    for (const w of watchers) w.close();
  };
  const changed = new Promise<string>((done) => {
    for (const folder of folders) {
      watchers.push(
        watch(folder, (_event, name) => {
          const path = name ? join(folder, name.toString()) : folder;
          if (!names.has(path) && !names.has(folder) && !TEST_FILE.test(path)) return;
          close();
          // Editors save in several writes: let them settle.
          setTimeout(() => done(path), 200);
        }),
      );
    }
  });
  return { changed, close };
}

const command: Command = {
  summary:
    "Run a flow's test cases (`*.test.yaml` beside it) on Temporal's time-skipping test server: mocked activities, signals, updates and queries at flow times, expected status, output, error, path and vars. Exit 1 when a case fails, 2 when a test file is invalid.",
  usage,
  run,
};
export default command;
