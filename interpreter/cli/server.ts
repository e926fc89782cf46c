import { parseArgs } from 'node:util';
import { ensureServer } from '../temporal';
import { parsePort } from './args';
import { type Command, EXIT, UsageError } from './command';

const command: Command = {
  summary: 'Run the embedded Temporal dev server in the foreground (Web UI on) until Ctrl-C.',
  usage: 'weft server [--port N] [--ui-port N] [--db FILE] [--namespace NS] [--headless]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        'ui-port': { type: 'string' },
        db: { type: 'string' },
        namespace: { type: 'string' },
        headless: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    const port = parsePort(values.port, '--port') ?? 7233;
    const uiPort = values.headless
      ? undefined
      : (parsePort(values['ui-port'], '--ui-port') ?? port + 1000);
    if (process.env.TEMPORAL_ADDRESS) {
      throw new UsageError(
        `TEMPORAL_ADDRESS is set (${process.env.TEMPORAL_ADDRESS}): weft server starts its own server; unset it first.`,
      );
    }
    const server = await ensureServer({
      port,
      uiPort,
      ui: !values.headless,
      dbFile: values.db,
      namespace: values.namespace,
    });
    console.log(
      `Temporal ${server.kind} listening on ${server.address} (namespace ${server.namespace})`,
    );
    if (server.uiUrl) console.log(`Web UI: ${server.uiUrl}`);
    console.log(
      values.db
        ? `Persisting to ${values.db}`
        : 'In memory: runs are lost when it stops (use --db FILE to keep them).',
    );
    console.log('Press Ctrl-C to stop.');

    return await new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: stopping the Temporal server…`);
        server.stop().then(
          () => resolve(EXIT.ok),
          () => resolve(EXIT.failed),
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
  },
};

export default command;
