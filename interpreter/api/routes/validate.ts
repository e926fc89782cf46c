import { Hono } from 'hono';
import { optionalString, readObject, requiredString } from '../body';
import type { RouteDeps } from '../context';
import { checkText } from '../dsl';

/**
 * POST {text, file?}: the diagnostics for a flow text, exactly as `weft validate` reports them.
 * An invalid flow is a normal answer here (200, `ok: false`); only a bad request is a 4xx.
 */
export function validateRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const body = await readObject(c, ['text', 'file']);
    const text = requiredString(body, 'text', Number.POSITIVE_INFINITY);
    const file = optionalString(body, 'file', 1024);
    const { diagnostics } = await checkText(deps, text, file);
    return c.json({ ok: !diagnostics.some((d) => d.severity === 'error'), diagnostics });
  });
  return app;
}
