/**
 * The designer build the browser tests serve: built when missing, and (once per integration run,
 * in the global setup) rebuilt when older than what it is built from.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the designer's bundle is built from: its own sources and the interpreter code it imports. */
const DESIGNER_INPUTS = [
  'designer/src',
  'designer/index.html',
  'designer/vite.config.ts',
  'interpreter',
  'schema',
];

/** The newest modification time under `path` (a file or a folder, walked). */
function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** True when a designer input changed after the last build (or there is none). */
export function designerStale(): boolean {
  const built = `${ROOT}designer/dist/index.html`;
  if (!existsSync(built)) return true;
  const at = statSync(built).mtimeMs;
  return DESIGNER_INPUTS.some((p) => existsSync(`${ROOT}${p}`) && newest(`${ROOT}${p}`) > at);
}

/**
 * `npm test` builds the designer before vitest; a lone `vitest run test/e2e` builds it here.
 * `stale`: rebuild a build older than its sources too (the integration run's global setup does,
 * once, before any test file serves it; test files only build a missing one, since two of them
 * rebuilding at once would empty the folder the other serves).
 */
export function ensureDesignerBuilt(options: { stale?: boolean } = {}): void {
  const missing = !existsSync(`${ROOT}designer/dist/index.html`);
  if (!missing && !(options.stale && designerStale())) return;
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'designer/vite.config.ts'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}
