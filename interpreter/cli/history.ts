import { writeFileSync } from 'node:fs';
import { exportHistory } from '../client';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  parseCommand,
  positionalsExactly,
  withClient,
} from './client-args';
import { type Command, EXIT } from './command';

const command: Command = {
  summary: "Export a flow run's event history as JSON (the input of `weft replay`).",
  usage: `weft history <workflowId> [--run-id <id>] [--out <file>] ${CONNECTION_USAGE}`,
  async run(args) {
    const { values, positionals } = parseCommand({
      args,
      allowPositionals: true,
      options: { ...CONNECTION_OPTIONS, 'run-id': { type: 'string' }, out: { type: 'string' } },
    });
    const [id] = positionalsExactly(positionals, ['<workflowId>']);
    const json = await withClient(values, (client) => exportHistory(client, id!, values['run-id']));
    if (values.out) {
      writeFileSync(values.out, `${json}\n`);
      console.error(`history of ${id} written to ${values.out}`);
    } else console.log(json);
    return EXIT.ok;
  },
};
export default command;
