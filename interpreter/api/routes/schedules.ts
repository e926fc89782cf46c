import { Hono } from 'hono';
import {
  applySchedules,
  DEFAULT_TASK_QUEUE,
  listOwnedSchedules,
  ownedSchedule,
  schedulesOf,
  scheduleView,
} from '../../client';
import { parseFlowText } from '../../dsl';
import { checkName, readObject } from '../body';
import type { RouteDeps } from '../context';
import { compileSource } from '../dsl';
import { ApiError } from '../errors';

/**
 * The schedules flows declare, as `weft schedule` handles them: GET lists Weft's (`?flow=`),
 * POST /apply applies a flow file of the flows folder, and a schedule (`<flow>:<id>` or
 * `weft:<flow>:<id>`) is paused, unpaused, triggered or deleted.
 */
export function scheduleRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  const client = deps.client;

  app.get('/', async (c) => {
    const flow = c.req.query('flow');
    if (flow !== undefined) checkName(flow, 'flow');
    const schedules = (await listOwnedSchedules(client, flow)).map(scheduleView);
    return c.json({ schedules });
  });

  app.post('/apply', async (c) => {
    const body = await readObject(c, ['file']);
    if (typeof body.file !== 'string' || body.file.length > 1024) {
      throw new ApiError('WEFT_API_BAD_REQUEST', "Give 'file', a path under the flows folder.");
    }
    const { compiled, text } = await compileSource(deps, { file: body.file });
    const applied = await applySchedules(client, compiled, schedulesOf(parseFlowText(text).value), {
      taskQueue: deps.taskQueue ?? DEFAULT_TASK_QUEUE,
    });
    return c.json({ applied });
  });

  for (const action of ['pause', 'unpause', 'trigger'] as const) {
    app.post(`/:id/${action}`, async (c) => {
      const handle = await ownedSchedule(client, checkName(c.req.param('id'), 'The schedule id'));
      if (action === 'trigger') await handle.trigger();
      else await handle[action]();
      return c.json({ scheduleId: handle.scheduleId, action });
    });
  }

  app.delete('/:id', async (c) => {
    const handle = await ownedSchedule(client, checkName(c.req.param('id'), 'The schedule id'));
    await handle.delete();
    return c.json({ scheduleId: handle.scheduleId, deleted: true });
  });
  return app;
}
