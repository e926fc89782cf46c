import { readFile, stat } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { Hono } from 'hono';
import type { RouteDeps } from '../context';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Weft</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}code{background:#eee;padding:0 .3em}</style>
</head><body>
<h1>Weft</h1>
<p>The designer has not been built yet. Run <code>npm run build:designer</code>, then reload.</p>
<p>The HTTP API is live: try <a href="/api/health">/api/health</a>, <a href="/api/activities">/api/activities</a> and <a href="/api/flows">/api/flows</a>.</p>
</body></html>`;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * `/`: the built designer (designer/dist) with an SPA fallback to index.html, so `/?flow=...`
 * and client-side routes load the app; a small placeholder page when nothing is built.
 */
export function designerRoutes(deps: RouteDeps): Hono {
  const app = new Hono();
  const root = deps.designerDir === undefined ? undefined : resolve(deps.designerDir);
  app.get('/*', async (c) => {
    const index = root === undefined ? undefined : join(root, 'index.html');
    if (root === undefined || index === undefined || !(await isFile(index))) {
      return c.html(PLACEHOLDER);
    }
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(c.req.url).pathname).replace(/^\/+/, '');
    } catch {
      return c.text('Bad path', 400);
    }
    const target = resolve(root, rel);
    const inside = !relative(root, target).startsWith('..');
    if (rel !== '' && inside && !rel.includes('\0') && (await isFile(target))) {
      const type = TYPES[extname(target)] ?? 'application/octet-stream';
      // Vite puts content hashes in asset names, so those can be cached for good.
      const immutable = rel.startsWith('assets/');
      c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      c.header('Content-Type', type);
      return c.body(new Uint8Array(await readFile(target)));
    }
    if (extname(rel) !== '' && !rel.endsWith('.html')) return c.text('Not found', 404);
    c.header('Cache-Control', 'no-cache');
    return c.html(await readFile(index, 'utf8'));
  });
  return app;
}
