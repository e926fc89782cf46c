import type { Context } from 'hono';
import { Hono } from 'hono';
import { isObject } from '../body';
import type { RouteDeps } from '../context';
import { checkText } from '../dsl';
import { ApiError } from '../errors';
import { flowText } from '../flows-dir';
import { isJsonType } from '../media';

const PREFIX = '/api/flows/';

/** The file path after /api/flows/, decoded once from the raw URL (never double-decoded). */
function flowPath(c: Context): string {
  const raw = new URL(c.req.url).pathname;
  const rest = raw.startsWith(PREFIX) ? raw.slice(PREFIX.length) : '';
  try {
    return decodeURIComponent(rest);
  } catch {
    throw new ApiError('WEFT_API_BAD_PATH', 'The flow path is not valid percent-encoding.');
  }
}

function contentType(path: string): string {
  return path.endsWith('.json') ? 'application/json; charset=utf-8' : 'text/yaml; charset=utf-8';
}

/**
 * The body of a PUT: the file's text as is (text/yaml, application/yaml, application/json for a
 * .flow.json), or a JSON object `{text}` whose only key is the text. Bytes that are not UTF-8
 * are refused with their line and column, never replaced.
 */
async function bodyText(c: Context, path: string): Promise<string> {
  const text = flowText(new Uint8Array(await c.req.arrayBuffer()), path);
  if (isJsonType(c.req.header('content-type'))) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isObject(parsed) && Object.keys(parsed).length === 1 && typeof parsed.text === 'string')
        return parsed.text;
    } catch {
      // Not JSON at all: the validator reports it as a flow file with a syntax error.
    }
  }
  return text;
}

export function flowRoutes(deps: RouteDeps): Hono {
  const app = new Hono();

  app.get('/', async (c) => c.json({ flows: await deps.flows.list() }));

  app.get('/*', async (c) => {
    const file = await deps.flows.read(flowPath(c));
    c.header('ETag', file.etag);
    c.header('Cache-Control', 'no-cache');
    if (c.req.header('if-none-match') === file.etag) return c.body(null, 304);
    c.header('Content-Type', contentType(file.path));
    return c.body(file.text);
  });

  app.put('/*', async (c) => {
    // The path is checked before the body is read or validated: a refused path costs nothing,
    // and its answer never depends on what the body holds.
    const path = await deps.flows.checkPath(flowPath(c));
    const text = await bodyText(c, path);
    const { diagnostics, textErrors } = await checkText(deps, text, path);
    // `?allowErrors=true` writes a half-built flow as it is (the designer saves work in
    // progress); the diagnostics come back with it, and POST /api/runs refuses it until fixed.
    // An activities file's errors come back too, but do not stop a save: they are fixed there.
    const allowErrors = c.req.query('allowErrors') === 'true';
    if (!allowErrors && textErrors)
      throw new ApiError(
        'WEFT_API_INVALID_FLOW',
        `'${path}' is not a valid flow; nothing was written.`,
        {
          diagnostics,
        },
      );
    const written = await deps.flows.write(path, text, {
      ifMatch: c.req.header('if-match'),
      ifNoneMatch: c.req.header('if-none-match'),
    });
    deps.onFlowSaved?.(path);
    c.header('ETag', written.etag);
    return c.json({ ...written, diagnostics }, written.created ? 201 : 200);
  });

  return app;
}
