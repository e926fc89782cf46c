import { dirname, join, relative } from 'node:path';
import type { Client } from '@temporalio/client';
import { FlowsDir } from '../api/flows-dir';
import { describePollers, externalNeeds, flowTaskQueues, NO_POLLER } from '../client';
import { formatDiagnostic, hasErrors } from '../dsl';
import { loadActivitiesFile, loadFlowFile } from '../dsl/node';
import type { CompiledFlow } from '../model';
import { readOpenApiFor } from './ows-args';

interface QueueRow {
  taskQueue: string;
  kind: 'workflow' | 'activity';
  /** Who serves it: Weft's own workers, or workers of other SDKs (external activities). */
  owner: 'weft' | 'external';
  activities: string[];
  /** Where the queue is declared (external activities), for a positioned line. */
  at?: { file: string; line: number; col: number };
}

function ago(date: Date | undefined): string {
  if (!date) return '';
  const seconds = Math.max(0, Math.round((Date.now() - date.getTime()) / 1000));
  return `, last poll ${seconds}s ago`;
}

/**
 * `weft doctor --flows DIR`: every task queue the flows in DIR need, and whether a worker polls
 * it right now (DescribeTaskQueue). The flows' own queue needs workflow pollers (`weft worker`
 * or `weft dev`), plugin queues activity pollers, and external activities' queues their other
 * SDK's workers, each reported at the line of the activities file that names the queue.
 * Returns whether every queue has a poller.
 */
export async function checkFlowQueues(
  client: Client,
  dir: string,
  workflowQueue: string,
  line: (name: string, value: string) => void,
): Promise<boolean> {
  const flows: { file: string; flow: CompiledFlow }[] = [];
  const entries = await new FlowsDir(dir).list();
  const folders = new Set<string>();
  let ok = true;
  for (const entry of entries) {
    const abs = join(dir, entry.path);
    // An OWS document (*.sw.yaml) names OpenAPI documents that are read before it converts.
    await readOpenApiFor(abs);
    const loaded = loadFlowFile(abs);
    folders.add(dirname(abs));
    if (!loaded.compiled || hasErrors(loaded.diagnostics)) {
      for (const d of loaded.diagnostics) console.log(formatDiagnostic(d, abs));
      ok = false;
      continue;
    }
    flows.push({ file: entry.path, flow: loaded.compiled });
  }
  line('flows', `${flows.length} of ${entries.length} in ${dir} compile`);

  const rows = new Map<string, QueueRow>();
  const row = (r: QueueRow) => {
    const key = `${r.kind} ${r.taskQueue}`;
    const known = rows.get(key);
    if (known) known.activities.push(...r.activities.filter((a) => !known.activities.includes(a)));
    else rows.set(key, r);
  };
  for (const { flow } of flows) {
    for (const q of flowTaskQueues(flow, workflowQueue)) {
      row({
        taskQueue: q,
        kind: q === workflowQueue ? 'workflow' : 'activity',
        owner: 'weft',
        activities: [],
      });
    }
  }
  const declared = [...folders].map((f) => loadActivitiesFile(f));
  const activities = declared.flatMap((d) => d.activities);
  for (const q of externalNeeds(flows, { activities })) {
    const first = q.activities[0]?.name ?? '';
    const file = declared.find((d) => d.queuePositions?.[first] !== undefined);
    const pos = file?.queuePositions?.[first];
    const source = activities.find((a) => a.name === first)?.external?.file;
    row({
      taskQueue: q.taskQueue,
      kind: 'activity',
      owner: 'external',
      activities: q.activities.map((a) => a.name),
      ...(pos && source ? { at: { file: relative(process.cwd(), source) || source, ...pos } } : {}),
    });
  }

  for (const r of [...rows.values()].sort((a, b) => a.taskQueue.localeCompare(b.taskQueue))) {
    const polled = await describePollers(client, r.taskQueue, r.kind);
    const what = `${r.kind}, ${r.owner === 'weft' ? 'Weft worker' : `external: ${r.activities.join(', ')}`}`;
    if (polled.pollers.length > 0) {
      const who = polled.pollers.map((p) => p.identity).join(', ');
      const last = polled.pollers
        .map((p) => p.lastAccess)
        .sort()
        .at(-1);
      line(
        `queue ${r.taskQueue}`,
        `ok (${what}): ${polled.pollers.length} polling (${who}${ago(last)})`,
      );
      continue;
    }
    ok = false;
    const fix =
      r.owner === 'weft'
        ? `start one: weft worker --task-queue ${r.taskQueue}`
        : 'start the worker that registers them on this queue; their steps wait until one polls';
    line(`queue ${r.taskQueue}`, `NO WORKER POLLING (${what}): ${fix}`);
    if (r.at) {
      console.log(
        `${r.at.file}:${r.at.line}:${r.at.col}  error  ${NO_POLLER}  no worker polls task queue "${r.taskQueue}", where external activities ${r.activities.map((a) => `"${a}"`).join(', ')} are scheduled`,
      );
    }
  }
  return ok;
}
