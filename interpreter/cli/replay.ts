import { readFileSync } from 'node:fs';
import { defaultPayloadConverter } from '@temporalio/common';
import { loadPlugins } from '../activities';
import { type History, parseHistory } from '../client';
import type { FlowRunInput } from '../model';
import { JsonLogger } from '../observability';
import { installRuntime } from '../observability/runtime';
import { replayHistory } from '../worker';
import { parseCommand } from './client-args';
import { type Command, EXIT, UsageError } from './command';
import { compileFlowFile, InvalidFlowError } from './flow-args';
import { takePlugins } from './plugin-args';

type StartedAttrs = NonNullable<
  NonNullable<History['events']>[number]['workflowExecutionStartedEventAttributes']
>;

function startAttributes(history: History): StartedAttrs {
  const attrs = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!attrs?.input?.payloads?.[0]) {
    throw new UsageError(
      'the history does not start with a WorkflowExecutionStarted event with input',
    );
  }
  return attrs;
}

const command: Command = {
  summary:
    'Replay a recorded history against this interpreter (exit 1 on nondeterminism). With a flow file, replay it with that definition instead of the recorded one: can the edit reach running flows safely?',
  usage: 'weft replay <history.json> [<flow file>] [--plugins <module>…]',
  async run(args) {
    const { rest, plugins } = takePlugins(args);
    const { positionals } = parseCommand({ args: rest, allowPositionals: true, options: {} });
    if (positionals.length < 1 || positionals.length > 2) {
      throw new UsageError('expected <history.json> and optionally a flow file');
    }
    const [historyFile, flowFile] = positionals as [string, string | undefined];
    let text: string;
    try {
      text = readFileSync(historyFile, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${historyFile}: ${(err as Error).message}`);
    }
    const history = parseHistory(text);
    const attrs = startAttributes(history);
    const recorded = defaultPayloadConverter.fromPayload<FlowRunInput>(attrs.input!.payloads![0]!);
    const workflowId = attrs.workflowId ?? 'replay';

    if (flowFile) {
      let flow: Awaited<ReturnType<typeof compileFlowFile>>;
      try {
        flow = await compileFlowFile(flowFile, (await loadPlugins(plugins)).manifest());
      } catch (err) {
        if (err instanceof InvalidFlowError) {
          console.error(`weft replay: ${err.message}`);
          return EXIT.usage;
        }
        throw err;
      }
      if (flow.hash === recorded.flow?.hash) {
        console.error(`${flowFile} is the definition this run started with (hash ${flow.hash})`);
      } else {
        console.error(
          `replaying with ${flowFile} (hash ${flow.hash}) instead of the recorded definition (hash ${recorded.flow?.hash ?? '?'})`,
        );
      }
      attrs.input!.payloads![0] = defaultPayloadConverter.toPayload({ ...recorded, flow });
    }

    const events = history.events?.length ?? 0;
    // The replay worker's lifecycle logs are noise here; the verdict below is the output.
    installRuntime({ logger: new JsonLogger(process.env.WEFT_LOG_LEVEL ? undefined : 'ERROR') });
    try {
      await replayHistory(history, workflowId);
    } catch (err) {
      const e = err as Error;
      console.error(`✗ replay of ${workflowId} failed: ${e.name}: ${e.message}`);
      return EXIT.failed;
    }
    console.log(`✓ ${workflowId}: ${events} events replayed deterministically`);
    return EXIT.ok;
  },
};
export default command;
