import { loadPlugins } from '../activities';
import { ClientError, DEFAULT_TASK_QUEUE, startFlow } from '../client';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, parseCommand, withClient } from './client-args';
import { type Command, EXIT, UsageError } from './command';
import { compileFlowFile, InvalidFlowError, readInput } from './flow-args';
import { takePlugins } from './plugin-args';

const command: Command = {
  summary:
    'Validate a flow and start it on the server (a worker must serve its task queue); prints the workflowId.',
  usage: `weft start <file> [--input <json> | --input-file <path>] [--plugins <module>…] [--workflow-id <id>] [--task-queue <queue>] [--json] ${CONNECTION_USAGE}`,
  async run(args) {
    const { rest, plugins } = takePlugins(args);
    const { values, positionals } = parseCommand({
      args: rest,
      allowPositionals: true,
      options: {
        ...CONNECTION_OPTIONS,
        input: { type: 'string' },
        'input-file': { type: 'string' },
        'workflow-id': { type: 'string' },
        'task-queue': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one flow file');
    const input = readInput(values);
    const registry = await loadPlugins(plugins);
    let flow: Awaited<ReturnType<typeof compileFlowFile>>;
    try {
      flow = await compileFlowFile(positionals[0]!, registry.manifest());
    } catch (err) {
      if (err instanceof InvalidFlowError) {
        console.error(`weft start: ${err.message}`);
        return EXIT.usage;
      }
      throw err;
    }
    return withClient(values, async (client) => {
      try {
        const started = await startFlow(client, flow, input, {
          taskQueue: values['task-queue'] ?? DEFAULT_TASK_QUEUE,
          workflowId: values['workflow-id'],
        });
        if (values.json) {
          console.log(
            JSON.stringify({
              workflowId: started.workflowId,
              runId: started.runId,
              taskQueue: started.taskQueue,
            }),
          );
        } else console.log(started.workflowId);
        return EXIT.ok;
      } catch (err) {
        if (err instanceof ClientError && err.code === 'WEFT_INVALID_INPUT') {
          console.error(`weft start: ${err.message}`);
          return EXIT.usage;
        }
        throw err;
      }
    });
  },
};
export default command;
