import { cancelFlow } from '../client';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  parseCommand,
  positionalsExactly,
  withClient,
} from './client-args';
import { type Command, EXIT } from './command';

const command: Command = {
  summary:
    'Request cancellation of a flow run: it runs onCancel and its compensations, then ends Cancelled.',
  usage: `weft cancel <workflowId> ${CONNECTION_USAGE}`,
  async run(args) {
    const { values, positionals } = parseCommand({
      args,
      allowPositionals: true,
      options: { ...CONNECTION_OPTIONS },
    });
    const [id] = positionalsExactly(positionals, ['<workflowId>']);
    await withClient(values, (client) => cancelFlow(client, id!));
    console.error(`cancellation requested for ${id}`);
    return EXIT.ok;
  },
};
export default command;
