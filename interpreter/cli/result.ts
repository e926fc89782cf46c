import { flowResult } from '../client';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  parseCommand,
  positionalsExactly,
  printJson,
  withClient,
} from './client-args';
import { type Command, EXIT } from './command';
import { outcomeLine } from './outcome-line';

const command: Command = {
  summary: 'Wait for a flow run to finish and print its output (exit 1 if it failed).',
  usage: `weft result <workflowId> [--run-id <id>] [--json] ${CONNECTION_USAGE}`,
  async run(args) {
    const { values, positionals } = parseCommand({
      args,
      allowPositionals: true,
      options: {
        ...CONNECTION_OPTIONS,
        'run-id': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const [id] = positionalsExactly(positionals, ['<workflowId>']);
    const outcome = await withClient(values, (client) => flowResult(client, id!, values['run-id']));
    if (values.json) console.log(outcomeLine(outcome));
    else if (outcome.status === 'completed') printJson(outcome.output);
    else {
      const e = outcome.error;
      console.error(
        `${outcome.status}: ${e.type}: ${e.message}${e.step ? ` (step ${e.step})` : ''}`,
      );
    }
    return outcome.status === 'completed' ? EXIT.ok : EXIT.failed;
  },
};
export default command;
