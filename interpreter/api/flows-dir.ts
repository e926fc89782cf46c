import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { decodeUtf8, utf8Diagnostic, utf8Message } from '../dsl';
import { FLOW_FILE, FLOW_FILE_NAMES } from '../model';
import { ApiError } from './errors';
import { withFileLock } from './file-lock';

export { FLOW_FILE, FLOW_FILE_NAMES } from '../model';

/** Folders never walked: dependencies, VCS data and Weft's own state. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.weft', 'dist']);

/** Whether the listing walks into a folder of this name (never hidden ones, nor SKIP_DIRS). */
export function isListedFolder(name: string): boolean {
  return !SKIP_DIRS.has(name) && !name.startsWith('.');
}

export interface FlowFileEntry {
  /** Relative to DIR, always with `/`. */
  path: string;
  size: number;
  modified: string;
}

export interface FlowFileText {
  path: string;
  text: string;
  etag: string;
}

/** A strong ETag over the exact bytes, so any change on disk changes it. */
export function etagOf(text: string): string {
  return `"${createHash('sha256').update(text, 'utf8').digest('base64url')}"`;
}

function badPath(message: string): ApiError {
  return new ApiError('WEFT_API_BAD_PATH', message);
}

/**
 * Whether `target` is `root` or below it (both already resolved). Only a first segment equal to
 * `..` leaves the root: `..draft.flow.yaml` is a file name like any other.
 */
export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  const first = rel.split(sep)[0];
  return rel === '' || (first !== '..' && !isAbsolute(rel));
}

/** A flow file's bytes as text; bytes that are not UTF-8 are an error with their position. */
export function flowText(bytes: Uint8Array, rel: string): string {
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) return decoded.text;
  throw new ApiError('WEFT_API_INVALID_FLOW', `'${rel}': ${utf8Message(decoded.error)}.`, {
    diagnostics: [utf8Diagnostic(decoded.error)],
  });
}

/** The current text of a flow file, or undefined when there is none. */
async function readCurrent(abs: string, rel: string): Promise<string | undefined> {
  try {
    return flowText(await readFile(abs), rel);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: string }).code === 'ENOENT';
}

/**
 * The flow folder behind /api/flows. Every path from a client is checked twice: lexically (no
 * `..`, no absolute path, a flow file name) and then on disk, through realpath, so a symlink
 * that leads out of DIR is refused as well.
 */
export class FlowsDir {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The folder with symlinks resolved; every containment check compares against this. */
  async realRoot(): Promise<string> {
    try {
      return await realpath(this.root);
    } catch (err) {
      if (isNotFound(err))
        throw new ApiError('WEFT_API_NOT_FOUND', 'The flows folder does not exist.');
      throw err;
    }
  }

  /** Lexical checks, then the absolute path the client means (it may not exist yet). */
  private async locate(relPath: string): Promise<{ abs: string; rel: string; realRoot: string }> {
    if (relPath.length === 0) throw badPath('A flow path is required.');
    if (relPath.length > 1024) throw badPath('The flow path is too long.');
    if (relPath.includes('\0')) throw badPath('The flow path contains a NUL byte.');
    if (relPath.startsWith('/') || relPath.startsWith('\\') || /^[a-zA-Z]:/.test(relPath))
      throw badPath('Absolute paths are refused: give a path relative to the flows folder.');
    const segments = relPath.split(/[\\/]/);
    if (segments.some((s) => s === '..')) throw badPath("Paths with '..' are refused.");
    if (segments.some((s) => s === '' || s === '.'))
      throw badPath('Empty or "." path segments are refused.');
    if (!FLOW_FILE.test(relPath))
      throw badPath(`Only flow files (${FLOW_FILE_NAMES}) can be read or written.`);
    const realRoot = await this.realRoot();
    const abs = join(realRoot, ...segments);
    if (!isInside(realRoot, abs)) throw badPath('The path leads outside the flows folder.');
    // The nearest existing ancestor (or the file itself) must still be inside once resolved.
    let probe = abs;
    for (;;) {
      try {
        const real = await realpath(probe);
        if (!isInside(realRoot, real)) throw badPath('The path leads outside the flows folder.');
        break;
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const up = dirname(probe);
        if (up === probe) break;
        probe = up;
      }
    }
    return { abs, rel: segments.join('/'), realRoot };
  }

  async list(): Promise<FlowFileEntry[]> {
    const realRoot = await this.realRoot();
    const out: FlowFileEntry[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      for (const entry of entries) {
        const abs = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (isListedFolder(entry.name)) await walk(abs);
          continue;
        }
        if (!FLOW_FILE.test(entry.name)) continue;
        if (!entry.isFile() && !entry.isSymbolicLink()) continue;
        try {
          // Symlinked files are listed only when they resolve inside DIR.
          const real = await realpath(abs);
          if (!isInside(realRoot, real)) continue;
          const info = await lstat(real);
          if (!info.isFile()) continue;
          out.push({
            path: relative(realRoot, abs).split(sep).join('/'),
            size: info.size,
            modified: info.mtime.toISOString(),
          });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    };
    await walk(realRoot);
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Refuses a path the API would not read or write, before any work is done for it. */
  async checkPath(relPath: string): Promise<string> {
    return (await this.locate(relPath)).rel;
  }

  /** Absolute path of an existing flow file, checked; for the DSL loader (child flow paths). */
  async resolveExisting(relPath: string): Promise<string> {
    return (await this.read(relPath)).abs;
  }

  async read(relPath: string): Promise<FlowFileText & { abs: string }> {
    const { abs, rel } = await this.locate(relPath);
    let text: string;
    try {
      text = flowText(await readFile(abs), rel);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ENOENT' || code === 'EISDIR')
        throw new ApiError('WEFT_API_NOT_FOUND', `No flow file '${rel}'.`);
      throw err;
    }
    return { path: rel, text, etag: etagOf(text), abs };
  }

  /**
   * Compare-and-swap of one file: under a lock on the path (in this process and, through an
   * O_EXCL lock file, across processes), the current ETag is compared with `If-Match`, then the
   * text goes to a temporary file that is renamed over the old one, so readers never see half a
   * file and two saves from the same ETag cannot both win. Overwriting an existing file needs
   * `If-Match` (428 without it); creating one needs nothing, or `If-None-Match: *`.
   */
  async write(
    relPath: string,
    text: string,
    preconditions: { ifMatch?: string; ifNoneMatch?: string },
  ): Promise<{ path: string; etag: string; created: boolean }> {
    const { abs, rel } = await this.locate(relPath);
    await mkdir(dirname(abs), { recursive: true });
    return withFileLock(abs, async () => {
      const current = await readCurrent(abs, rel);
      checkPreconditions(rel, current, preconditions);
      const tmp = join(dirname(abs), `.${basename(abs)}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
        await rename(tmp, abs);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      return { path: rel, etag: etagOf(text), created: current === undefined };
    });
  }
}

/** RFC 9110 conditional request rules for a PUT, plus 428 for an unconditional overwrite. */
function checkPreconditions(
  rel: string,
  current: string | undefined,
  { ifMatch, ifNoneMatch }: { ifMatch?: string; ifNoneMatch?: string },
): void {
  if (ifMatch !== undefined) {
    const wanted = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
    const ok = current !== undefined && (wanted.includes('*') || wanted.includes(etagOf(current)));
    if (!ok)
      throw new ApiError(
        'WEFT_API_CONFLICT',
        current === undefined
          ? `'${rel}' was deleted since it was read.`
          : `'${rel}' changed on disk since it was read: reload it, then save again.`,
        current === undefined ? undefined : { etag: etagOf(current) },
      );
    return;
  }
  if (current === undefined) return;
  if (ifNoneMatch?.trim() === '*')
    throw new ApiError('WEFT_API_CONFLICT', `'${rel}' already exists.`, {
      etag: etagOf(current),
    });
  throw new ApiError(
    'WEFT_API_PRECONDITION_REQUIRED',
    `'${rel}' exists: send If-Match with the ETag you read (GET it first), or If-Match: * to overwrite whatever is there.`,
    { etag: etagOf(current) },
  );
}
