import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import {
  connectClient,
  connectWorker,
  ensureJavaTestServer,
  ensureServer,
  onPath,
} from '../temporal';

/** The Temporal server tests run on, and how to move its clock. */
export interface TestServer {
  kind: 'time-skipping' | 'dev-server';
  client: Client;
  connection: NativeConnection;
  namespace: string;
  /**
   * Lets flow time pass: on the time-skipping server the clock jumps (firing timers on the way),
   * on a dev server this waits in real time.
   */
  advance(ms: number): Promise<void>;
  /** Runs `work` with time skipping on: timers fire as soon as nothing else is running. */
  skipping<T>(work: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export interface StartTestServerOptions {
  /** `dev`: the dev server (or TEMPORAL_ADDRESS) even when Java is there. */
  prefer?: 'time-skipping' | 'dev';
  /** Lines for the user: what was started, and why not the time-skipping server. */
  note?: (line: string) => void;
}

/**
 * Temporal's Java time-skipping test server when Java is installed (a `sleep: 30d` then takes
 * milliseconds); otherwise the dev server (or TEMPORAL_ADDRESS), with a note that timers take
 * their real time there.
 */
export async function startTestServer(options: StartTestServerOptions = {}): Promise<TestServer> {
  const note = options.note ?? ((line: string) => console.error(line));
  let why: string | undefined;
  if (options.prefer === 'dev') why = 'asked for the dev server';
  else if (!onPath('java')) why = 'Java is not installed';
  if (!why) {
    try {
      return await timeSkipping(note);
    } catch (err) {
      why = (err as Error).message.split('\n')[0];
    }
  }
  if (options.prefer !== 'dev') {
    note(
      `weft test: not on the time-skipping test server (${why}): using a dev server, where sleeps, waits and retries take their real time. Install Java 17+ and Maven and run \`weft setup --java\` for time skipping.`,
    );
  }
  const server = await ensureServer({ ui: false, output: 'ignore', onProgress: note });
  const { client, connection: clientConnection } = await connectClient(server);
  const connection = await connectWorker(server);
  return {
    kind: 'dev-server',
    client,
    connection,
    namespace: server.namespace,
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    skipping: (work) => work(),
    async stop() {
      await connection.close().catch(() => undefined);
      await clientConnection.close().catch(() => undefined);
      await server.stop();
    },
  };
}

async function timeSkipping(note: (line: string) => void): Promise<TestServer> {
  const path = await ensureJavaTestServer(note);
  // Loaded here: @temporalio/testing pulls in the native bridge, which most commands never need.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const { Client } = await import('@temporalio/client');
  const { msToTs } = await import('@temporalio/common/lib/time');
  const start = () =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path } },
    });
  // Core allows the JVM five seconds to listen; a loaded machine can miss that once, and the
  // second start finds its classes in the page cache.
  const env = await start().catch(start);
  const namespace = env.namespace ?? 'default';
  // A connection of our own. The environment's pings every 30 s, which the Java server (it allows
  // one ping in 5 minutes) answers by closing the connection under a waiting result() call; and
  // its client toggles time skipping around every result(), which cases side by side cannot share.
  const { Connection } = await import('@temporalio/client');
  const { InternalConnectionOptionsSymbol } = await import('@temporalio/client/lib/connection');
  const connection = await Connection.connect({
    address: env.address,
    channelArgs: {
      'grpc.keepalive_permit_without_calls': 0,
      'grpc.keepalive_time_ms': 10 * 60_000,
    },
    [InternalConnectionOptionsSymbol]: { supportsTestService: true },
  });
  const testService = connection.testService;
  if (!testService) throw new Error('the test server has no time-skipping service');
  const client = new Client({ connection, namespace });
  return {
    kind: 'time-skipping',
    client,
    connection: env.nativeConnection,
    namespace,
    async advance(ms) {
      if (ms > 0) await testService.unlockTimeSkippingWithSleep({ duration: msToTs(ms) });
    },
    async skipping(work) {
      await testService.unlockTimeSkipping({});
      try {
        return await work();
      } finally {
        await testService.lockTimeSkipping({});
      }
    },
    async stop() {
      await connection.close().catch(() => undefined);
      await env.teardown();
    },
  };
}
