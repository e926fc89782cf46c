import { Hono } from 'hono';
import { hasErrors } from '../../dsl';
import type { RouteDeps } from '../context';
import { activitiesFileProblems, manifestFor } from '../dsl';

/**
 * The activity manifest: what the validator checks against and the designer's palette; with
 * `?flow=`, that flow's (its subfolder's activities file included).
 */
export function activityRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const flow = c.req.query('flow');
    return c.json(flow === undefined ? deps.manifest() : await manifestFor(deps, flow));
  });
  // The problems of the activities files that apply to `?flow=` (only the root's without it):
  // the designer checks the flow's text itself, and these are not in that text.
  app.get('/problems', async (c) => {
    const diagnostics = await activitiesFileProblems(deps, c.req.query('flow'));
    return c.json({ ok: !hasErrors(diagnostics), diagnostics });
  });
  return app;
}
