import { Hono } from 'hono';
import type { RouteDeps } from '../app';

/**
 * Liveness plus the Temporal server this API talks to. `ok` is false (status 503) when the
 * server does not answer within two seconds, so a probe sees an outage, not a hang.
 */
export function healthRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const { address, namespace } = deps.temporal;
    let ok = true;
    try {
      await deps.client.connection.withDeadline(Date.now() + 2000, () =>
        deps.client.workflowService.getSystemInfo({}),
      );
    } catch {
      ok = false;
    }
    return c.json({ ok, temporal: { address, namespace } }, ok ? 200 : 503);
  });
  return app;
}
