import { Hono } from 'hono';
import type { RouteDeps } from '../context';

/** The activity manifest: what the validator checks against and the designer's palette. */
export function activityRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json(deps.manifest()));
  return app;
}
