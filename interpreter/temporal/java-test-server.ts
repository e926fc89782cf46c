import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cacheDir } from './cache';
import { TemporalSetupError } from './errors';

const run = promisify(execFile);

/** io.temporal:temporal-test-server, fetched from Maven Central with the pom beside this file. */
export const JAVA_TEST_SERVER_VERSION = '1.38.0';
const POM = fileURLToPath(new URL('./java/pom.xml', import.meta.url));

function home(version: string) {
  return cacheDir(`java-test-server-${version}`);
}

function hasJars(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((f) => f.startsWith('temporal-test-server'));
}

/**
 * Returns the path of an executable wrapper that `exec`s Temporal's Java time-skipping test
 * server, fetching the jars with Maven the first time. The wrapper takes the port as its first
 * argument, which is how `TestWorkflowEnvironment.createTimeSkipping` calls an `existing-path`
 * executable.
 */
export async function ensureJavaTestServer(
  onProgress: (line: string) => void = (line) => console.error(line),
  version = JAVA_TEST_SERVER_VERSION,
): Promise<string> {
  const dir = home(version);
  const lib = join(dir, 'lib');
  const wrapper = join(dir, 'temporal-test-server');
  if (!hasJars(lib)) {
    onProgress(`fetching io.temporal:temporal-test-server:${version} with Maven; first run only`);
    const staging = `${lib}.fetching-${process.pid}`;
    try {
      await run(
        'mvn',
        [
          '-q',
          '-B',
          '-f',
          POM,
          `-Dtemporal.version=${version}`,
          'dependency:copy-dependencies',
          `-DoutputDirectory=${staging}`,
        ],
        { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new TemporalSetupError(
        'WEFT_JAVA_TEST_SERVER_UNAVAILABLE',
        `Maven could not fetch io.temporal:temporal-test-server:${version}: ${(e.stdout || e.stderr || e.message).trim().slice(-2_000)}. Install Maven and Java 17+, or skip the time-skipping tests.`,
      );
    }
    rmSync(lib, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    renameSync(staging, lib);
  }
  // Core gives an `existing-path` test server five seconds to listen: on a loaded machine a JVM
  // with default flags misses that, so start it the quick way (client compiler, serial GC), and
  // from a class-data archive (CDS) of its own classes when there is one. A stale or broken
  // archive is ignored by the JVM (-Xshare:auto), never fatal.
  const archive = join(dir, 'classes.jsa');
  const java = `java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off`;
  const classpath = `-cp '${lib}/*' io.temporal.testserver.TestServer`;
  const script = [
    '#!/bin/sh',
    `# Written by weft: Temporal's Java time-skipping test server. Usage: ${wrapper} <port>`,
    `if [ -f '${archive}' ]; then CDS='-XX:SharedArchiveFile=${archive}'; else CDS=-Xshare:auto; fi`,
    // Its logging (SLF4J notices, gRPC transport notes) would land in the caller's terminal.
    `exec ${java} "$CDS" ${classpath} "$@" >'${join(dir, 'server.log')}' 2>&1`,
    '',
  ].join('\n');
  if (!existsSync(wrapper) || readFileSync(wrapper, 'utf8') !== script) {
    const tmp = `${wrapper}.${process.pid}`;
    writeFileSync(tmp, script);
    chmodSync(tmp, 0o755);
    renameSync(tmp, wrapper);
  }
  if (!existsSync(archive)) await writeArchive(`${java} ${classpath}`, archive);
  return wrapper;
}

/**
 * Starts the server once with `-XX:ArchiveClassesAtExit`, waits until it listens and stops it, so
 * the JVM writes the classes it loaded to an archive that later starts map instead of loading
 * (they listen several times sooner). The environment's own teardown kills the server, which
 * writes nothing, hence this separate run. Best effort: without an archive the server still runs.
 */
async function writeArchive(command: string, archive: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  const { connect } = await import('node:net');
  const { freePort } = await import('./ports');
  const port = await freePort();
  const tmp = `${archive}.${process.pid}.tmp`;
  const child = spawn(
    '/bin/sh',
    ['-c', `exec ${command} ${port}`.replace(' -cp ', ` -XX:ArchiveClassesAtExit=${tmp} -cp `)],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise((done) => child.on('close', done));
  const listening = () =>
    new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
  try {
    const deadline = Date.now() + 60_000;
    while (child.exitCode === null && Date.now() < deadline && !(await listening())) {
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  if (existsSync(tmp)) renameSync(tmp, archive);
}
