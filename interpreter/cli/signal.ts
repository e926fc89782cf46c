import { signalFlow } from '../client';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  parseCommand,
  positionalsExactly,
  withClient,
} from './client-args';
import { type Command, EXIT } from './command';
import { parseJsonArg } from './flow-args';

const command: Command = {
  summary: "Send one of a flow's signals, with an optional JSON payload.",
  usage: `weft signal <workflowId> <name> [<json payload>] ${CONNECTION_USAGE}`,
  async run(args) {
    const { values, positionals } = parseCommand({
      args,
      allowPositionals: true,
      options: { ...CONNECTION_OPTIONS },
    });
    const [id, name, json] = positionalsExactly(
      positionals,
      ['<workflowId>', '<name>', '[json]'],
      1,
    );
    const payload = json === undefined ? undefined : parseJsonArg(json, 'the signal payload');
    await withClient(values, (client) => signalFlow(client, id!, name!, payload));
    console.error(`signal ${name} sent to ${id}`);
    return EXIT.ok;
  },
};
export default command;
