import { listFlows } from '../client';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  parseCommand,
  printJson,
  withClient,
} from './client-args';
import { type Command, EXIT, UsageError } from './command';

const command: Command = {
  summary: 'List flow runs from the visibility store, newest first.',
  usage: `weft list [--flow <name>] [--query <visibility query>] [--limit n] [--json] ${CONNECTION_USAGE}`,
  async run(args) {
    const { values } = parseCommand({
      args,
      options: {
        ...CONNECTION_OPTIONS,
        flow: { type: 'string' },
        query: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      throw new UsageError('--limit must be a positive integer');
    }
    const runs = await withClient(values, (client) =>
      listFlows(client, { flow: values.flow, query: values.query, limit }),
    );
    if (values.json) {
      printJson(runs);
      return EXIT.ok;
    }
    for (const r of runs) {
      console.log([r.workflowId, r.flow, r.status, r.startTime, r.closeTime ?? ''].join('\t'));
    }
    return EXIT.ok;
  },
};
export default command;
