import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { type ApiDeps, DEFAULT_BODY_LIMIT, type RouteDeps } from './context';
import { ApiError } from './errors';
import { FlowsDir } from './flows-dir';
import { requireMediaType } from './media';
import { requestGuard } from './request-guard';
import { activityRoutes } from './routes/activities';
import { designerRoutes } from './routes/designer';
import { eventRoutes } from './routes/events';
import { flowRoutes } from './routes/flows';
import { healthRoutes } from './routes/health';
import { runRoutes } from './routes/runs';
import { scheduleRoutes } from './routes/schedules';
import { schemaRoutes } from './routes/schema';
import { validateRoutes } from './routes/validate';
import { bearerAuth } from './security';
import { toApiError } from './temporal-errors';

/** The request target exactly as the client sent it (Node adapter only). */
function rawPath(env: unknown): string | undefined {
  const url = (env as { incoming?: { url?: unknown } } | undefined)?.incoming?.url;
  return typeof url === 'string' ? url.split('?')[0] : undefined;
}

function hasDotSegment(path: string): boolean {
  return path.split(/\/|%2f|%5c|\\/i).some((seg) => /^(\.|%2e){1,2}$/i.test(seg));
}

/**
 * The Weft HTTP API as a Hono app: security middleware first (CORS only when asked, body size
 * limit, bearer token), one sub-app per resource, and one error handler that turns every
 * failure into a JSON body with a stable code and never a stack trace.
 */
export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  const route: RouteDeps = { ...deps, flows: new FlowsDir(deps.flowsDir), streams: { open: 0 } };
  const log = deps.log;

  app.onError((err, c) => {
    const known = toApiError(err);
    if (known) return c.json(known.toBody(), known.status);
    // Anything else is a bug or an outage: log it here, answer without detail.
    const id = randomUUID();
    log?.error('request failed', { id, method: c.req.method, path: c.req.path, error: err });
    return c.json(
      new ApiError('WEFT_API_INTERNAL', `Internal error (id ${id}); see the server log.`).toBody(),
      500,
    );
  });
  app.notFound((c) =>
    c.json(
      new ApiError('WEFT_API_NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`).toBody(),
      404,
    ),
  );

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    log?.debug('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });

  // Before anything else, on every route: a foreign Host (DNS rebinding) or Origin (another
  // site's page) is refused, so no web page can drive this server from a browser.
  app.use(
    '*',
    requestGuard({
      boundHost: deps.boundHost ?? '127.0.0.1',
      allowedHosts: deps.allowedHosts ?? [],
      corsOrigins: deps.corsOrigins ?? [],
    }),
  );

  // URL parsing folds `..` segments away before routing, so `/api/flows/../x` would quietly
  // become `/api/x`. Refuse dot segments in the raw request line instead: they are never legit.
  app.use('*', async (c, next) => {
    const raw = rawPath(c.env);
    if (raw !== undefined && hasDotSegment(raw))
      throw new ApiError('WEFT_API_BAD_PATH', "Paths with '.' or '..' segments are refused.");
    await next();
  });

  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    app.use(
      '/api/*',
      cors({
        origin: deps.corsOrigins,
        allowHeaders: [
          'Authorization',
          'Content-Type',
          'If-Match',
          'If-None-Match',
          'Last-Event-ID',
        ],
        exposeHeaders: ['ETag'],
      }),
    );
  }
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
      onError: (c) => {
        // The rest of the body is never read: the connection cannot carry another request.
        c.header('Connection', 'close');
        throw new ApiError(
          'WEFT_API_TOO_LARGE',
          `The request body is larger than ${deps.bodyLimit ?? DEFAULT_BODY_LIMIT} bytes.`,
        );
      },
    }),
  );
  if (deps.token !== undefined) app.use('/api/*', bearerAuth(deps.token));
  app.use('/api/*', requireMediaType());

  app.route('/api/health', healthRoutes(route));
  app.route('/api/activities', activityRoutes(route));
  app.route('/api/schema', schemaRoutes());
  app.route('/api/flows', flowRoutes(route));
  app.route('/api/validate', validateRoutes(route));
  app.route('/api/runs', runRoutes(route));
  app.route('/api/runs', eventRoutes(route));
  app.route('/api/schedules', scheduleRoutes(route));
  app.all('/api/*', (c) => {
    throw new ApiError('WEFT_API_NOT_FOUND', `No route ${c.req.method} ${c.req.path}.`);
  });
  app.route('/', designerRoutes(route));
  return app;
}
