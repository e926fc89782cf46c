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
  // with default flags misses that, so start it the quick way (client compiler, serial GC).
  const script = `#!/bin/sh\n# Written by weft: Temporal's Java time-skipping test server. Usage: ${wrapper} <port>\nexec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp '${lib}/*' io.temporal.testserver.TestServer "$@"\n`;
  if (!existsSync(wrapper) || readFileSync(wrapper, 'utf8') !== script) {
    const tmp = `${wrapper}.${process.pid}`;
    writeFileSync(tmp, script);
    chmodSync(tmp, 0o755);
    renameSync(tmp, wrapper);
  }
  return wrapper;
}
