import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DEFAULT_TASK_QUEUE } from '../client';
import {
  builtCliPath,
  cliVersion,
  connectClient,
  connectionOptionsFromEnv,
  ensureServer,
  findTemporalCli,
  isExecutable,
  onPath,
} from '../temporal';
import { parseCommand } from './client-args';
import { type Command, EXIT } from './command';

const exec = promisify(execFile);

/** The first line a tool prints about its version, or why it could not. */
async function probe(binary: string | undefined, args: string[]): Promise<string> {
  if (!binary) return 'not found';
  try {
    const { stdout, stderr } = await exec(binary, args, { timeout: 20_000 });
    const line = `${stdout}\n${stderr}`.split('\n').find((l) => l.trim());
    return `${line?.trim() ?? 'no output'} (${binary})`;
  } catch (err) {
    return `found at ${binary} but failed: ${(err as Error).message.split('\n')[0]}`;
  }
}

function chromium(): string | undefined {
  if (process.env.WEFT_CHROMIUM && isExecutable(process.env.WEFT_CHROMIUM))
    return process.env.WEFT_CHROMIUM;
  return (
    ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(isExecutable) ?? onPath('chromium')
  );
}

const command: Command = {
  summary:
    'Report the toolchain Weft found, then start a Temporal server and connect to it; with --flows, report per task queue the flows need whether a worker polls it.',
  usage: 'weft doctor [--flows <dir> [--task-queue <queue>]]',
  async run(args) {
    const { values } = parseCommand({
      args,
      options: { flows: { type: 'string' }, 'task-queue': { type: 'string' } },
    });
    const line = (name: string, value: string) => console.log(`${name.padEnd(16)} ${value}`);
    line('node', `${process.version} (${process.execPath})`);
    const external = connectionOptionsFromEnv();
    if (external) {
      line(
        'temporal',
        `TEMPORAL_ADDRESS=${external.address} namespace=${external.namespace}${external.tls ? ' tls' : ''}${external.apiKey ? ' api-key' : ''}`,
      );
    } else {
      const cli = await findTemporalCli({ build: false });
      if (cli)
        line(
          'temporal cli',
          `${(await cliVersion(cli.path)) ?? 'version unknown'} (${cli.path}, from ${cli.source})`,
        );
      else
        line(
          'temporal cli',
          `not built yet (weft builds it into ${builtCliPath()} on first use when Go is present)`,
        );
    }
    line('go', await probe(onPath('go'), ['version']));
    line('java', await probe(onPath('java'), ['-version']));
    line('maven', await probe(onPath('mvn'), ['-v']));
    line('chromium', await probe(chromium(), ['--version']));

    const started = Date.now();
    let server: Awaited<ReturnType<typeof ensureServer>> | undefined;
    try {
      server = await ensureServer({ ui: false });
      const { client, connection } = await connectClient(server);
      try {
        const info = await client.workflowService.getSystemInfo({});
        line(
          'server',
          `${server.kind} at ${server.address}: connected in ${Date.now() - started} ms (server ${info.serverVersion || 'version not reported'})`,
        );
        if (values.flows !== undefined) {
          // The queues the flows need, and who polls them (issue 15).
          const { checkFlowQueues } = await import('./doctor-flows');
          const queue = values['task-queue'] ?? DEFAULT_TASK_QUEUE;
          if (!(await checkFlowQueues(client, values.flows, queue, line))) {
            console.log('\nfailed: a task queue the flows need has no worker polling it.');
            return EXIT.failed;
          }
        }
      } finally {
        await connection.close();
      }
      console.log('\nok: a Temporal server started and answered.');
      return EXIT.ok;
    } catch (err) {
      const e = err as { code?: string; message: string };
      line('server', `FAILED ${e.code ?? ''} ${e.message}`);
      return EXIT.failed;
    } finally {
      await server?.stop();
    }
  },
};

export default command;
