import { describeFlow, readProgress } from '../client';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  parseCommand,
  positionalsExactly,
  printJson,
  withClient,
} from './client-args';
import { type Command, EXIT } from './command';

const command: Command = {
  summary:
    "Show a flow run: status, memo, pending activities (attempts, heartbeats, last failure) and the interpreter's step progress.",
  usage: `weft describe <workflowId> [--run-id <id>] ${CONNECTION_USAGE}`,
  async run(args) {
    const { values, positionals } = parseCommand({
      args,
      allowPositionals: true,
      options: { ...CONNECTION_OPTIONS, 'run-id': { type: 'string' } },
    });
    const [id] = positionalsExactly(positionals, ['<workflowId>']);
    await withClient(values, async (client) => {
      const description = await describeFlow(client, id!, values['run-id']);
      // Progress needs a worker to answer the query; without one, describe still works.
      const progress = await readProgress(client, id!, {
        runId: values['run-id'],
        queryTimeoutMs: 2000,
      }).catch(() => undefined);
      printJson({ ...description, progress });
    });
    return EXIT.ok;
  },
};
export default command;
