import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Weft keeps what it builds or fetches once per machine (the Temporal CLI, the Java test
 * server). Outside the repo, so fresh clones and CI runs on the same machine reuse it.
 */
export function cacheDir(...parts: string[]): string {
  const root =
    process.env.WEFT_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'weft');
  return join(root, ...parts);
}
