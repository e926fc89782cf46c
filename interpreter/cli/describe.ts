import { describeFlow, formatWorkflowTaskProblem, readProgress } from '../client';
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
    "Show a flow run: status, memo, pending activities (attempts, heartbeats, last failure), the interpreter's step progress, and `stuck` while its workflow tasks keep failing.",
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
      // The JSON carries it as `stuck`; say it in words too, where people look first.
      if (description.stuck) {
        console.error(`weft describe: ${id} ${formatWorkflowTaskProblem(description.stuck)}`);
      }
    });
    return EXIT.ok;
  },
};
export default command;
