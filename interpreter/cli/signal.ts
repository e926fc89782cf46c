import { ClientError, signalFlow } from '../client';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  messageTarget,
  PAYLOAD_REFUSED,
  parseCommand,
  withClient,
} from './client-args';
import { type Command, EXIT } from './command';

const command: Command = {
  summary: "Send one of a flow's signals, with an optional JSON payload.",
  usage: `weft signal <workflowId> <name> [<json payload>] ${CONNECTION_USAGE}`,
  async run(args) {
    const { values, positionals } = parseCommand({
      args,
      allowPositionals: true,
      options: { ...CONNECTION_OPTIONS },
    });
    const { id, name, arg } = messageTarget(positionals, 'the signal payload');
    try {
      await withClient(values, (client) => signalFlow(client, id, name, arg));
    } catch (err) {
      // Refused before sending: the payload is the caller's mistake, like a bad command line.
      if (err instanceof ClientError && PAYLOAD_REFUSED.has(err.code)) {
        console.error(`weft signal: ${err.code} ${err.message}`);
        return EXIT.usage;
      }
      throw err;
    }
    console.error(`signal ${name} sent to ${id}`);
    return EXIT.ok;
  },
};
export default command;
