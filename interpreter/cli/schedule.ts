import { readFileSync } from 'node:fs';
import { loadPlugins } from '../activities';
import {
  type AppliedSchedule,
  applySchedules,
  ClientError,
  DEFAULT_TASK_QUEUE,
  type FlowSchedule,
  listOwnedSchedules,
  ownedSchedule,
  schedulesOf,
  scheduleView,
} from '../client';
import { parseFlowText } from '../dsl';
import type { CompiledFlow } from '../model';
import { CONNECTION_OPTIONS, CONNECTION_USAGE, parseCommand, withClient } from './client-args';
import { type Command, EXIT, UsageError } from './command';
import { compileFlowFile, InvalidFlowError } from './flow-args';
import { takePlugins } from './plugin-args';

const ACTIONS = ['apply', 'list', 'pause', 'unpause', 'trigger', 'delete'] as const;

interface FlowFile {
  file: string;
  flow: CompiledFlow;
  schedules: FlowSchedule[];
  /** `file:line:col` of a JSON pointer in the file. */
  at(pointer: string): string;
}

/** Every flow validated before any schedule changes: one bad file applies nothing. */
async function loadFlows(files: string[], plugins: string[]): Promise<FlowFile[] | undefined> {
  const registry = await loadPlugins(plugins);
  try {
    const out: FlowFile[] = [];
    let invalid = false;
    const names = new Map<string, string>();
    for (const file of files) {
      let flow: CompiledFlow;
      try {
        flow = await compileFlowFile(file, registry.manifest());
      } catch (err) {
        if (!(err instanceof InvalidFlowError)) throw err;
        console.error(`weft schedule apply: ${file}: the flow does not validate; nothing applied`);
        invalid = true;
        continue;
      }
      const other = names.get(flow.flow);
      if (other !== undefined) {
        throw new UsageError(`${other} and ${file} both define flow "${flow.flow}"`);
      }
      names.set(flow.flow, file);
      const parsed = parseFlowText(readFileSync(file, 'utf8'), file);
      out.push({
        file,
        flow,
        schedules: schedulesOf(parsed.value),
        at(pointer) {
          const p = parsed.sourceMap.position(pointer, 'value');
          return `${file}:${p.line}:${p.col}`;
        },
      });
    }
    return invalid ? undefined : out;
  } finally {
    await registry.close();
  }
}

async function apply(args: string[]): Promise<number> {
  const { rest, plugins } = takePlugins(args);
  const { values, positionals } = parseCommand({
    args: rest,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      'task-queue': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('expected one or more flow files');
  const flows = await loadFlows(positionals, plugins);
  if (!flows) return EXIT.usage;
  return withClient(values, async (client) => {
    const applied: AppliedSchedule[] = [];
    for (const f of flows) {
      try {
        applied.push(
          ...(await applySchedules(client, f.flow, f.schedules, {
            taskQueue: values['task-queue'] ?? DEFAULT_TASK_QUEUE,
          })),
        );
      } catch (err) {
        if (err instanceof ClientError && err.code === 'WEFT_SCHEDULE_INPUT') {
          const id = /^schedule "([^"]*)"/.exec(err.message)?.[1];
          const i = f.schedules.findIndex((s) => s.id === id);
          const where = i < 0 ? f.file : f.at(`/schedules/${i}/input`);
          console.error(`${where}  error  ${err.code}  ${err.message}`);
          return EXIT.usage;
        }
        throw err;
      }
    }
    if (values.json) console.log(JSON.stringify(applied));
    else for (const a of applied) console.log(`${a.change}\t${a.scheduleId}`);
    return EXIT.ok;
  });
}

async function list(args: string[]): Promise<number> {
  const { values } = parseCommand({
    args,
    options: {
      ...CONNECTION_OPTIONS,
      flow: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const views = await withClient(values, async (client) =>
    (await listOwnedSchedules(client, values.flow)).map(scheduleView),
  );
  if (values.json) {
    console.log(JSON.stringify(views));
    return EXIT.ok;
  }
  for (const v of views) {
    console.log(
      [v.scheduleId, v.paused ? 'paused' : 'active', v.nextRuns[0] ?? '', v.note ?? ''].join('\t'),
    );
  }
  return EXIT.ok;
}

async function onOne(action: 'pause' | 'unpause' | 'trigger' | 'delete', args: string[]) {
  const { values, positionals } = parseCommand({
    args,
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, note: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('expected one schedule id (<flow>:<id>)');
  if (values.note !== undefined && action !== 'pause' && action !== 'unpause') {
    throw new UsageError('--note goes with pause and unpause');
  }
  return withClient(values, async (client) => {
    const handle = await ownedSchedule(client, positionals[0]!);
    if (action === 'pause') await handle.pause(values.note);
    else if (action === 'unpause') await handle.unpause(values.note);
    else if (action === 'trigger') await handle.trigger();
    else await handle.delete();
    const done = { pause: 'paused', unpause: 'unpaused', trigger: 'triggered', delete: 'deleted' };
    console.log(`${done[action]}\t${handle.scheduleId}`);
    return EXIT.ok;
  });
}

const command: Command = {
  summary:
    'Create, update and delete the Temporal Schedules flows declare (`schedules:`), and list, pause, unpause, trigger or delete them. Weft owns the schedules named `weft:<flow>:<id>` and no others.',
  usage: [
    `weft schedule apply <flow files…> [--plugins <module>…] [--task-queue <queue>] [--json] ${CONNECTION_USAGE}`,
    `       weft schedule list [--flow <name>] [--json] ${CONNECTION_USAGE}`,
    `       weft schedule pause|unpause <flow>:<id> [--note <text>] ${CONNECTION_USAGE}`,
    `       weft schedule trigger|delete <flow>:<id> ${CONNECTION_USAGE}`,
  ].join('\n'),
  async run(args) {
    const [action, ...rest] = args;
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) {
      throw new UsageError(`expected one of ${ACTIONS.join(', ')}`);
    }
    if (action === 'apply') return apply(rest);
    if (action === 'list') return list(rest);
    return onOne(action as 'pause' | 'unpause' | 'trigger' | 'delete', rest);
  },
};
export default command;
