import { queryFlow } from '../client';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  messageTarget,
  parseCommand,
  printJson,
  withClient,
} from './client-args';
import { type Command, EXIT } from './command';

const command: Command = {
  summary:
    "Run one of a flow's queries (or the built-in weft.progress) and print the answer as JSON.",
  usage: `weft query <workflowId> <name> [<json arg>] [--run-id <id>] ${CONNECTION_USAGE}`,
  async run(args) {
    const { values, positionals } = parseCommand({
      args,
      allowPositionals: true,
      options: { ...CONNECTION_OPTIONS, 'run-id': { type: 'string' } },
    });
    const { id, name, arg } = messageTarget(positionals, 'the query argument');
    const queryArgs = arg === undefined ? [] : [arg];
    const answer = await withClient(values, (client) =>
      queryFlow(client, id, name, queryArgs, values['run-id']),
    );
    printJson(answer);
    return EXIT.ok;
  },
};
export default command;
