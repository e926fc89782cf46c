import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isExecutable, onPath } from '../temporal';
import { ReviewError } from './errors';

/**
 * SVG -> PNG with headless Chromium's own `--screenshot`: the browser draws the SVG with the fonts
 * a reviewer's browser would, and Weft needs no image library or browser driver at run time.
 */

/** WEFT_CHROMIUM, else the usual install paths, else `chromium` or `google-chrome` on PATH. */
export function findChromium(): string | undefined {
  const env = process.env.WEFT_CHROMIUM;
  if (env) return env;
  return (
    ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(isExecutable) ??
    onPath('chromium') ??
    onPath('google-chrome')
  );
}

/** Chromium refuses screenshots beyond this many device pixels a side. */
const MAX_SIDE = 16_000;

export async function svgToPng(
  svg: string,
  size: { width: number; height: number },
  options: { scale?: number } = {},
): Promise<Buffer> {
  const chromium = findChromium();
  if (!chromium) {
    throw new ReviewError(
      'WEFT_GRAPH_NO_CHROMIUM',
      'PNG needs Chromium: install it (Debian: apt-get install chromium) or set WEFT_CHROMIUM to its path; --format svg needs nothing',
    );
  }
  const width = Math.ceil(size.width);
  const height = Math.ceil(size.height);
  const wanted = options.scale ?? 2;
  const scale = Math.max(0.1, Math.min(wanted, MAX_SIDE / Math.max(width, height)));
  const dir = await mkdtemp(join(tmpdir(), 'weft-graph-'));
  try {
    const page = join(dir, 'graph.html');
    const out = join(dir, 'graph.png');
    await writeFile(
      page,
      `<!doctype html><meta charset="utf-8"><body style="margin:0">${svg}</body>`,
    );
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--force-device-scale-factor=${scale}`,
      `--window-size=${width},${height}`,
      `--screenshot=${out}`,
      pathToFileURL(page).href,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(chromium, args, { timeout: 60_000 }, (err, _stdout, stderr) => {
        if (err) {
          const last = String(stderr).trim().split('\n').slice(-3).join('\n');
          reject(
            new ReviewError(
              'WEFT_GRAPH_RENDER_FAILED',
              `Chromium (${chromium}) failed: ${err.message}\n${last}`,
            ),
          );
        } else resolve();
      });
    });
    try {
      return await readFile(out);
    } catch {
      throw new ReviewError(
        'WEFT_GRAPH_RENDER_FAILED',
        `Chromium (${chromium}) wrote no screenshot`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
