import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This checkout, or the installed package (which ships designer/dist and no sources). */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DESIGNER_SOURCES = ['designer/src', 'designer/index.html', 'designer/vite.config.ts'];

/** Newest modification time under `path` (a file or a folder), 0 when it does not exist. */
function newest(path: string): number {
  let info: ReturnType<typeof statSync>;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let max = info.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** The designer needs a build when dist is missing or older than any of its sources. */
export function designerIsStale(repo = REPO): boolean {
  const built = newest(join(repo, 'designer/dist/index.html'));
  if (built === 0) return true;
  return DESIGNER_SOURCES.some((p) => newest(join(repo, p)) > built);
}

/** No designer/dist at all: a fresh clone after `npm install`. */
export function designerMissing(repo = REPO): boolean {
  return !existsSync(join(repo, 'designer/dist/index.html'));
}

/** `npm run build:designer`, when this is a checkout with vite installed; false if it failed. */
export function buildDesigner(repo = REPO): Promise<boolean> {
  const vite = join(repo, 'node_modules/vite/bin/vite.js');
  if (!existsSync(vite) || !existsSync(join(repo, 'designer/vite.config.ts')))
    return Promise.resolve(false);
  return new Promise((done) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', 'designer/vite.config.ts'], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', () => done(false));
    child.on('exit', (code) => done(code === 0));
  });
}
