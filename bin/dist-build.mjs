#!/usr/bin/env node
// Builds what the published package runs: `npm run build` (and `npm pack`, through prepack).
//   dist/*.js            the entry points and the CLI, ES modules bundled by esbuild, with maps
//   dist/types/          declarations from tsc, for the entry points the exports map names
//   dist/workflow-bundle.json  the interpreter workflow bundled for Temporal's sandbox
//   dist/workflow/       the same as plain modules, to bundle with an application's interceptors
// The designer's own build (vite, into designer/dist) is `npm run build:designer`.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

/** Output name (dist/<name>.js) → source. Every output sits in dist/ itself, chunks included. */
export const ENTRIES = {
  index: 'interpreter/package/index.ts',
  worker: 'interpreter/package/worker.ts',
  client: 'interpreter/package/client.ts',
  dsl: 'interpreter/dsl/index.ts',
  cli: 'interpreter/cli/main.ts',
  // Imported by URL in worker threads, so they must exist as files of their own.
  'thread-main': 'interpreter/activities/thread-main.ts',
  'builtin-http': 'interpreter/activities/builtin/http.ts',
  'builtin-sse': 'interpreter/activities/builtin/sse.ts',
};

const entryOf = new Map(Object.entries(ENTRIES).map(([name, src]) => [join(ROOT, src), name]));
const REAL_META_URL = '__weft_real_import_meta_url__';

/**
 * Modules find files through `import.meta.url` (package.json, the schema, designer/dist, the
 * supervisor's bin). The package ships those files where they are in the repository, so each
 * module keeps the URL of its source file, computed from the chunk's real URL: the compiled code
 * resolves what the source would. A URL of another entry's .ts source becomes that entry's .js.
 */
const sourceUrls = {
  name: 'weft-dist-source-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]interpreter[\\/].*\.ts$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      text = text.replace(/new URL\('(\.[^']*\.ts)', import\.meta\.url\)/g, (whole, rel) => {
        const name = entryOf.get(resolve(dirname(args.path), rel));
        return name ? `new URL('./${name}.js', ${REAL_META_URL})` : whole;
      });
      const fromDist = relative(DIST, args.path).split('\\').join('/');
      text = text.replaceAll(
        'import.meta.url',
        `new URL(${JSON.stringify(fromDist)}, ${REAL_META_URL}).href`,
      );
      return { contents: text.replaceAll(REAL_META_URL, 'import.meta.url'), loader: 'ts' };
    });
  },
};

/** `ajv/dist/2020` → `ajv/dist/2020.js`: Node's ESM resolver wants the file of a deep import. */
function nodeSpecifier(spec, resolvedPath) {
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const marker = `${join('node_modules', name)}/`;
  const at = resolvedPath.lastIndexOf(marker);
  if (at < 0) return spec;
  return `${name}/${resolvedPath
    .slice(at + marker.length)
    .split('\\')
    .join('/')}`;
}

/** Packages stay external; their names are checked against package.json's dependencies. */
const externalPackages = {
  name: 'weft-external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('node:')) return undefined;
      let resolvesInNode = false;
      try {
        resolvesInNode = existsSync(fileURLToPath(import.meta.resolve(args.path)));
      } catch {
        // A deep import into a package without `exports`.
      }
      if (resolvesInNode) return { path: args.path, external: true };
      const found = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'inner',
      });
      if (found.errors.length > 0) return undefined;
      return { path: nodeSpecifier(args.path, found.path), external: true };
    });
  },
};

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The compiled code may import only what an install of the package provides. */
function checkDependencies(metafile) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const deps = new Set(Object.keys(pkg.dependencies ?? {}));
  const missing = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:') || imp.path.startsWith('.')) continue;
      if (!deps.has(packageName(imp.path))) missing.add(packageName(imp.path));
    }
  }
  if (missing.size > 0) {
    throw new Error(
      `dist imports packages that are not in dependencies: ${[...missing].join(', ')}`,
    );
  }
}

async function buildJs() {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([k, v]) => [k, join(ROOT, v)])),
    outdir: DIST,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error',
    plugins: [externalPackages, sourceUrls],
  });
  checkDependencies(result.metafile);
}

/**
 * The interpreter's workflow and its interceptors as plain modules (dist/workflow/), which an
 * install bundles with the application's own workflow interceptors.
 */
async function buildWorkflowModules() {
  await build({
    absWorkingDir: ROOT,
    entryPoints: {
      index: join(ROOT, 'interpreter/workflow/index.ts'),
      interceptors: join(ROOT, 'interpreter/observability/workflow-interceptors.ts'),
    },
    outdir: join(DIST, 'workflow'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
  });
}

/** The interpreter workflow as Temporal's worker loads it, so installs need no bundler run. */
async function buildWorkflowBundle() {
  const { tsImport } = await import('tsx/esm/api');
  const { INTERPRETER_BUNDLE } = await tsImport('../interpreter/worker/bundle.ts', import.meta.url);
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const silent = () => undefined;
  const logger = { trace: silent, debug: silent, info: silent, warn: silent, log: silent };
  const bundle = await bundleWorkflowCode({
    ...INTERPRETER_BUNDLE,
    logger: { ...logger, error: (m) => console.error(m) },
  });
  writeFileSync(join(DIST, 'workflow-bundle.json'), JSON.stringify(bundle));
}

/** `ajv/dist/2020` → `ajv/dist/2020.js`: a deep import into a package without `exports`. */
function typesSpecifier(spec) {
  try {
    if (existsSync(fileURLToPath(import.meta.resolve(spec)))) return spec;
  } catch {
    // Not resolvable as written.
  }
  try {
    if (existsSync(fileURLToPath(import.meta.resolve(`${spec}.js`)))) return `${spec}.js`;
  } catch {
    // Leave it to the consumer's resolver.
  }
  return spec;
}

/** Relative specifiers in declarations get the `.js` that `node16`/`nodenext` resolution needs. */
function fixDeclarationSpecifiers(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8').replace(
      /((?:from|import)\s*\(?\s*)(['"])([^'"]+)\2/g,
      (whole, head, quote, spec) => {
        if (/\.(js|json)$/.test(spec)) return whole;
        if (!spec.startsWith('.')) return `${head}${quote}${typesSpecifier(spec)}${quote}`;
        const target = resolve(dirname(file), spec);
        const fixed = existsSync(`${target}.d.ts`)
          ? `${spec}.js`
          : existsSync(join(target, 'index.d.ts'))
            ? `${spec}/index.js`
            : spec;
        return `${head}${quote}${fixed}${quote}`;
      },
    );
    writeFileSync(file, text);
  }
}

async function buildTypes() {
  const tsc = join(ROOT, 'node_modules/typescript/lib/tsc.js');
  const { spawnSync } = await import('node:child_process');
  const run = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.dist.json')], {
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error('tsc could not emit the declarations');
  fixDeclarationSpecifiers(join(DIST, 'types'));
}

export async function buildDist() {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  await buildJs();
  await buildTypes();
  await buildWorkflowModules();
  await buildWorkflowBundle();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildDist();
}
