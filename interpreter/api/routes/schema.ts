import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { ApiError } from '../errors';

const SCHEMA_URL = new URL('../../../schema/flow.schema.json', import.meta.url);

/** The flow JSON Schema, the language's source of truth, read once. */
export function schemaRoutes(): Hono {
  const app = new Hono();
  let cached: Promise<string> | undefined;
  app.get('/', async (c) => {
    cached ??= readFile(SCHEMA_URL, 'utf8');
    let text: string;
    try {
      text = await cached;
    } catch {
      cached = undefined;
      throw new ApiError('WEFT_API_UNAVAILABLE', 'The flow schema is not available.');
    }
    c.header('Content-Type', 'application/schema+json; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(text);
  });
  return app;
}
