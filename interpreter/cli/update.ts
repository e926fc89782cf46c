import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ClientError, updateFlow } from '../client';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  messageTarget,
  PAYLOAD_REFUSED,
  parseCommand,
  printJson,
  withClient,
} from './client-args';
import { type Command, EXIT } from './command';

const command: Command = {
  summary:
    "Run one of a flow's updates with an optional JSON payload and print its output (exit 1 if rejected).",
  usage: `weft update <workflowId> <name> [<json payload>] ${CONNECTION_USAGE}`,
  async run(args) {
    const { values, positionals } = parseCommand({
      args,
      allowPositionals: true,
      options: { ...CONNECTION_OPTIONS },
    });
    const { id, name, arg } = messageTarget(positionals, 'the update payload');
    try {
      const output = await withClient(values, (client) => updateFlow(client, id, name, arg));
      printJson(output);
      return EXIT.ok;
    } catch (err) {
      if (err instanceof ClientError && PAYLOAD_REFUSED.has(err.code)) {
        console.error(`weft update: ${err.code} ${err.message}`);
        return EXIT.usage;
      }
      if (err instanceof WorkflowUpdateFailedError) {
        const cause = err.cause;
        const type = cause instanceof ApplicationFailure ? (cause.type ?? 'Error') : 'Error';
        console.error(`update ${name} rejected: ${type}: ${cause?.message ?? err.message}`);
        return EXIT.failed;
      }
      throw err;
    }
  },
};
export default command;
