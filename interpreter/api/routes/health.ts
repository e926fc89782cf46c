import { Hono } from 'hono';
import { abandonedActivities as abandonedCounts } from '../../activities';
import type { RouteDeps } from '../app';

/**
 * Liveness plus the Temporal server this API talks to, and how many event streams are polling
 * it (a stream whose client left stops at once, so this drops back). `ok` is false (status 503) when the
 * server does not answer within two seconds, so a probe sees an outage, not a hang.
 */
export function healthRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const { address, namespace, uiUrl } = deps.temporal;
    let ok = true;
    try {
      await deps.client.connection.withDeadline(Date.now() + 2000, () =>
        deps.client.workflowService.getSystemInfo({}),
      );
    } catch {
      ok = false;
    }
    // The designer links each run to the Web UI when the server has one.
    const temporal = uiUrl === undefined ? { address, namespace } : { address, namespace, uiUrl };
    // Attempts whose plugin ignored cancellation: the worker freed their slots, the work leaked.
    const abandonedActivities = abandonedCounts();
    return c.json(
      { ok, temporal, eventStreams: deps.streams.open, abandonedActivities },
      ok ? 200 : 503,
    );
  });
  return app;
}
