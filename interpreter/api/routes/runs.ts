import type { Context } from 'hono';
import { Hono } from 'hono';
import {
  cancelFlow,
  DEFAULT_TASK_QUEUE,
  describeFlow,
  FILTERABLE_RUN_STATUSES,
  type FlowOutcome,
  flowResult,
  historyToJson,
  listFlows,
  queryFlow,
  runStatusOf,
  signalFlow,
  startFlow,
  updateFlow,
  visibilityStatusOf,
} from '../../client';
// The model's index does not re-export progress yet; the client module reads it the same way.
import { type FlowProgress, mergePendingActivities, PROGRESS_QUERY } from '../../model/progress';
import { type RunStatus, TASK_FAILURE_TYPE } from '../../model/wire';
import { checkName, isObject, optionalString, readJson, readObject } from '../body';
import { DEFAULT_BODY_LIMIT, type RouteDeps } from '../context';
import { compileForRun } from '../dsl';
import { ApiError } from '../errors';

/** Query deadline: a query needs a live worker, and a client should not hang on a dead one. */
const QUERY_MS = 5000;

/** The body of signal/update/query: the payload itself (any JSON), or nothing. */
async function payloadArgs(c: Context): Promise<unknown[]> {
  const body = await readJson(c);
  return body === undefined ? [] : [body];
}

function runParams(c: Context): { workflowId: string; runId?: string } {
  const workflowId = checkName(c.req.param('id') ?? '', 'The run id');
  const runId = c.req.query('runId');
  if (runId !== undefined) checkName(runId, 'runId');
  return runId === undefined ? { workflowId } : { workflowId, runId };
}

export function runRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  const client = deps.client;

  app.post('/', async (c) => {
    const body = await readObject(c, ['file', 'definition', 'input', 'workflowId', 'taskQueue']);
    const file = optionalString(body, 'file', 1024);
    // One limit for flow text: the request body limit (the JSON around it only makes it smaller).
    const definition = optionalString(body, 'definition', deps.bodyLimit ?? DEFAULT_BODY_LIMIT);
    if ((file === undefined) === (definition === undefined))
      throw new ApiError(
        'WEFT_API_BAD_REQUEST',
        "Give exactly one of 'file' (a path under the flows folder) or 'definition' (flow text).",
      );
    const workflowId = optionalString(body, 'workflowId', 1000);
    if (workflowId !== undefined) checkName(workflowId, 'workflowId');
    const taskQueue =
      optionalString(body, 'taskQueue', 200) ?? deps.taskQueue ?? DEFAULT_TASK_QUEUE;
    checkName(taskQueue, 'taskQueue');
    const flow = await compileForRun(
      deps,
      file !== undefined ? { file } : { definition: definition! },
    );
    // Like `weft run` without --input: a flow with no input gets `{}`.
    const started = await startFlow(client, flow, body.input ?? {}, {
      taskQueue,
      ...(workflowId === undefined ? {} : { workflowId }),
    });
    deps.log?.info('flow started', {
      flow: flow.flow,
      workflowId: started.workflowId,
      runId: started.runId,
    });
    return c.json(
      { workflowId: started.workflowId, runId: started.runId, flow: flow.flow, taskQueue },
      201,
    );
  });

  app.get('/', async (c) => {
    const flow = c.req.query('flow');
    const status = c.req.query('status');
    const limitText = c.req.query('limit') ?? '50';
    const limit = Number(limitText);
    if (!/^\d{1,4}$/.test(limitText) || limit < 1 || limit > 1000)
      throw new ApiError('WEFT_API_BAD_REQUEST', "'limit' must be an integer from 1 to 1000.");
    const clauses: string[] = [];
    if (flow !== undefined) {
      // listFlows quotes the name for the visibility query.
      checkName(flow, "'flow'");
    }
    if (status !== undefined) {
      const value = visibilityStatusOf(status);
      if (!value)
        throw new ApiError(
          'WEFT_API_BAD_REQUEST',
          `'status' must be one of ${FILTERABLE_RUN_STATUSES.join(', ')}.`,
        );
      clauses.push(`ExecutionStatus = '${value}'`);
    }
    const listed = await listFlows(client, {
      ...(flow === undefined ? {} : { flow }),
      ...(clauses.length === 0 ? {} : { query: clauses.join(' AND ') }),
      limit,
    });
    const runs = listed.map((r) => ({ ...r, status: runStatusOf(r.status) }));
    return c.json({ runs });
  });

  app.get('/:id', async (c) => {
    const { workflowId, runId } = runParams(c);
    const d = await describeFlow(client, workflowId, runId);
    let progress: FlowProgress | undefined;
    let progressError: string | undefined;
    try {
      const p = (await client.connection.withDeadline(Date.now() + QUERY_MS, () =>
        queryFlow(client, d.workflowId, PROGRESS_QUERY, [], d.runId),
      )) as FlowProgress;
      progress = mergePendingActivities(p, d.pendingActivities);
    } catch (err) {
      progressError = `The progress query did not answer: ${(err as Error).message.split('\n')[0]}`;
    }
    let outcome: Partial<FlowOutcome> = {};
    if (d.status !== 'RUNNING' && d.status !== 'CONTINUED_AS_NEW') {
      outcome = await flowResult(client, d.workflowId, d.runId);
    }
    // describeFlow has read why a running run is stuck; only a running run can be.
    const stuck = d.status === 'RUNNING' ? d.stuck : undefined;
    const status: RunStatus = stuck === undefined ? runStatusOf(d.status) : 'stuck';
    return c.json({
      ...d,
      status,
      ...(stuck === undefined
        ? {}
        : {
            error: { type: TASK_FAILURE_TYPE, message: stuck.message },
            taskFailures: stuck.failures,
          }),
      ...('output' in outcome ? { output: outcome.output } : {}),
      ...('error' in outcome ? { error: outcome.error } : {}),
      progress,
      ...(progressError === undefined ? {} : { progressError }),
    });
  });

  app.get('/:id/history', async (c) => {
    const { workflowId, runId } = runParams(c);
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(historyToJson(history));
  });

  app.post('/:id/signal/:name', async (c) => {
    const name = checkName(c.req.param('name'), 'The signal name');
    const { workflowId } = runParams(c);
    await signalFlow(client, workflowId, name, ...(await payloadArgs(c)));
    return c.json({ ok: true }, 202);
  });

  app.post('/:id/update/:name', async (c) => {
    const name = checkName(c.req.param('name'), 'The update name');
    const { workflowId } = runParams(c);
    const result = await updateFlow(client, workflowId, name, ...(await payloadArgs(c)));
    return c.json({ result: result ?? null });
  });

  app.post('/:id/query/:name', async (c) => {
    const name = checkName(c.req.param('name'), 'The query name');
    const { workflowId, runId } = runParams(c);
    const args = await payloadArgs(c);
    const result = await client.connection.withDeadline(Date.now() + QUERY_MS, () =>
      queryFlow(client, workflowId, name, args, runId),
    );
    return c.json({ result: result ?? null });
  });

  app.post('/:id/cancel', async (c) => {
    const { workflowId } = runParams(c);
    const body = await readJson(c);
    if (body !== undefined && !isObject(body))
      throw new ApiError(
        'WEFT_API_BAD_REQUEST',
        'The cancel body, when given, must be a JSON object.',
      );
    await cancelFlow(client, workflowId);
    return c.json({ ok: true }, 202);
  });

  return app;
}
