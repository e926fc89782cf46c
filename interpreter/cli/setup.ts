import { parseArgs } from 'node:util';
import { cliVersion, ensureJavaTestServer, findTemporalCli, TemporalSetupError } from '../temporal';
import { type Command, EXIT } from './command';

const command: Command = {
  summary:
    'Build or fetch, once, what Weft runs locally: the Temporal CLI (from Go) and, with --java, the time-skipping test server.',
  usage: 'weft setup [--java]',
  async run(args) {
    const { values } = parseArgs({ args, options: { java: { type: 'boolean', default: false } } });
    const progress = (line: string) => console.log(line);
    const cli = await findTemporalCli({ onProgress: progress });
    if (!cli) {
      throw new TemporalSetupError(
        'WEFT_SERVER_NOT_FOUND',
        'No Temporal CLI found and Go is not installed: install Go, or the Temporal CLI, or set TEMPORAL_ADDRESS.',
      );
    }
    console.log(
      `temporal: ${(await cliVersion(cli.path)) ?? 'version unknown'} (${cli.path}, from ${cli.source})`,
    );
    if (values.java) console.log(`java test server: ${await ensureJavaTestServer(progress)}`);
    return EXIT.ok;
  },
};

export default command;
