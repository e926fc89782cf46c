import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BundleOptions,
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { WORKFLOW_INTERCEPTORS_MODULE } from '../observability';
import { cacheDir } from '../temporal';

/** The interpreter workflow's entry: the sandbox folder, default-exporting the dynamic workflow. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflow/index.ts', import.meta.url));

/**
 * An installed package has no sources: it ships the interpreter's workflow and its interceptors
 * compiled into dist/workflow/ (bin/dist-build.mjs), for bundles with the application's own
 * workflow interceptors, and the plain bundle prebuilt.
 */
const FROM_SOURCES = existsSync(WORKFLOWS_PATH);
const SHIPPED_DIR = fileURLToPath(new URL('../../dist/workflow', import.meta.url));
const PREBUILT_BUNDLE = fileURLToPath(new URL('../../dist/workflow-bundle.json', import.meta.url));

/** Everything the bundle is built from; a change to any of it means a new bundle. */
const SOURCE_DIRS = FROM_SOURCES
  ? [
      dirname(WORKFLOWS_PATH),
      fileURLToPath(new URL('../model', import.meta.url)),
      dirname(WORKFLOW_INTERCEPTORS_MODULE),
    ]
  : [SHIPPED_DIR];
const PACKAGES = ['@temporalio/workflow', '@temporalio/worker', 'jsonata'];

/**
 * Modules evaluated once per worker thread instead of once per cached workflow. The SDK's
 * reusable V8 context gives each workflow its own copy of every module it loads, so that module
 * state cannot leak between workflows; a preloaded module is evaluated before any workflow exists
 * and shared (its exports deep-frozen). Preloading the whole interpreter brings the V8 heap per
 * cached flow down to about what a hand-written workflow costs (the `memory` bench section
 * reports the ratio). The price is a rule for the sandbox: no per-workflow state at
 * module level, only caches that are pure functions of their key. `test/unit/workflow/
 * module-state.test.ts` enforces it.
 */
export const PRELOADED_MODULES = ['jsonata', WORKFLOWS_PATH];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js|json)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A content hash of the sandbox sources, the interceptors module and the SDK versions. */
export function bundleKey(): string {
  const hash = createHash('sha256');
  hash.update(`preload ${PRELOADED_MODULES.join(',')}\n`);
  const require = createRequire(import.meta.url);
  for (const pkg of PACKAGES) {
    const { version } = JSON.parse(
      readFileSync(require.resolve(`${pkg}/package.json`), 'utf8'),
    ) as {
      version: string;
    };
    hash.update(`${pkg}@${version}\n`);
  }
  for (const file of SOURCE_DIRS.flatMap(sourceFiles)) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 24);
}

const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
  log: () => undefined,
};

/**
 * A workflow bundle cached on disk as `<name>-<key>.json`: bundling takes seconds of CPU, loading
 * it milliseconds, so it is reused across processes while `key` (a content hash of everything it
 * is built from) is unchanged. The newest few per name are kept.
 */
export async function cachedBundle(
  name: string,
  key: string,
  options: Omit<BundleOptions, 'logger'>,
): Promise<WorkflowBundleWithSourceMap> {
  let file: string | undefined;
  try {
    file = cacheDir('bundles', `${name}-${key}.json`);
    return JSON.parse(readFileSync(file, 'utf8')) as WorkflowBundleWithSourceMap;
  } catch {
    // Not cached yet (or unreadable): build it.
  }
  const bundle = await bundleWorkflowCode({ ...options, logger: quietLogger });
  if (file && process.env.WEFT_BUNDLE_CACHE !== 'off') {
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(bundle));
      renameSync(tmp, file);
      pruneBundles(dirname(file), name);
    } catch {
      // A read-only cache only costs speed.
    }
  }
  return bundle;
}

/** Keeps the newest few bundles of a name: each edit of their sources leaves one behind. */
function pruneBundles(dir: string, name: string, keep = 5): void {
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(`${name}-`) && /^[0-9a-f]+\.json$/.test(f.slice(name.length + 1)))
    .map((f) => ({ path: join(dir, f), mtime: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of files.slice(keep)) rmSync(old.path, { force: true });
}

/** What the interpreter's bundle is built from (the bench adds to it; see bench/bundles.ts). */
export const INTERPRETER_BUNDLE = {
  workflowsPath: WORKFLOWS_PATH,
  workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_MODULE],
  preloadModules: PRELOADED_MODULES,
} satisfies Omit<BundleOptions, 'logger'>;

/** The same from an installed package's compiled modules. */
function shippedBundleOptions(): Omit<BundleOptions, 'logger'> {
  const workflowsPath = join(SHIPPED_DIR, 'index.js');
  return {
    workflowsPath,
    workflowInterceptorModules: [join(SHIPPED_DIR, 'interceptors.js')],
    preloadModules: ['jsonata', workflowsPath],
  };
}

function build(interceptorModules: string[]): Promise<WorkflowBundleWithSourceMap> {
  if (interceptorModules.length === 0) {
    if (!FROM_SOURCES) {
      return Promise.resolve(
        JSON.parse(readFileSync(PREBUILT_BUNDLE, 'utf8')) as WorkflowBundleWithSourceMap,
      );
    }
    return cachedBundle('interpreter', bundleKey(), INTERPRETER_BUNDLE);
  }
  // Not cached on disk: what the application's modules import is not known here, so no key
  // could tell when the bundle is stale.
  const base = FROM_SOURCES ? INTERPRETER_BUNDLE : shippedBundleOptions();
  return bundleWorkflowCode({
    ...base,
    workflowInterceptorModules: [...(base.workflowInterceptorModules ?? []), ...interceptorModules],
    logger: quietLogger,
  });
}

const cached = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * The interpreter bundled for the sandbox, built once per process (and cached on disk by
 * content hash) and shared by every worker and replayer in it. `interceptorModules` (absolute
 * paths) are the application's workflow interceptors, bundled after Weft's own.
 */
export function workflowBundle(
  interceptorModules: string[] = [],
): Promise<WorkflowBundleWithSourceMap> {
  const key = interceptorModules.join('\n');
  let bundle = cached.get(key);
  if (!bundle) {
    bundle = build(interceptorModules).catch((err: unknown) => {
      cached.delete(key);
      throw err;
    });
    cached.set(key, bundle);
  }
  return bundle;
}
