// Compiles the CLI (interpreter/cli/main.ts and everything it imports) into one folder of ES
// modules with esbuild, so `weft` runs plain JavaScript instead of TypeScript through tsx.
// Imported by bin/weft.mjs only when the cached build is missing or stale.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * Modules find files beside their source through `import.meta.url` (package.json, the schema,
 * the designer's dist, the workflow sources the worker bundles, .ts thread entries): each keeps
 * its source file's URL, so the compiled code resolves exactly what the source would.
 */
const sourceUrls = {
  name: 'weft-source-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]interpreter[\\/].*\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      };
    });
  },
};

/**
 * Validators generated ahead of time (interpreter/dsl/schema-standalone.ts) in place of the
 * modules that compile them with ajv when a process first uses them: the flow schema's
 * (dsl/schema-compile.ts) and the default meta-schema's (dsl/meta-schema-compile.ts).
 */
const GENERATED = {
  'schema-compile.ts': 'shapeValidatorsModule',
  'meta-schema-compile.ts': 'metaValidatorModule',
};

function generatedValidators(root, scratch) {
  return {
    name: 'weft-generated-validators',
    setup(b) {
      let generator;
      b.onLoad({ filter: /[\\/]interpreter[\\/]dsl[\\/][a-z-]+-compile\.ts$/ }, async (args) => {
        const make = GENERATED[basename(args.path)];
        if (!make) return undefined;
        generator ??= loadGenerator(root, scratch);
        return {
          contents: (await generator)[make](),
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

/** The generator, a TypeScript module, bundled into `scratch` and imported. */
async function loadGenerator(root, scratch) {
  const out = join(scratch, 'schema-standalone.mjs');
  await build({
    entryPoints: [`${root}/interpreter/dsl/schema-standalone.ts`],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    banner: { js: REQUIRE_BANNER },
  });
  try {
    return await import(pathToFileURL(out).href);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The pure JavaScript packages every DSL command loads. Node loads a CommonJS package through its
 * ESM loader file by file (resolving, reading and scanning each for exports), which cost more than
 * `weft validate` itself; bundled into the CLI's chunks they load as one module each. Their own
 * dependencies come along. Packages that resolve files at run time (Temporal's, native code)
 * stay external.
 */
const BUNDLED = new Set(['yaml', 'jsonata', 'ajv', 'ajv-formats']);

/** `@scope/name/deep` -> `@scope/name`; `name/deep` -> `name`. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * Other packages stay external (node_modules is resolved at run time), but Node's ESM resolver
 * needs an exact file for a deep import into a package without `exports` (`ajv/dist/2020`): such
 * a specifier becomes the file esbuild resolves it to.
 */
const nodeResolvable = {
  name: 'weft-node-resolvable',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('node:')) return undefined;
      // A bundled package's own imports are bundled with it (Node built-ins aside).
      if (BUNDLED.has(packageOf(args.path)) || /[\\/]node_modules[\\/]/.test(args.importer)) {
        return isBuiltin(args.path) ? { path: args.path, external: true } : undefined;
      }
      try {
        // Node 20's resolver names a file without checking that it exists.
        if (existsSync(fileURLToPath(import.meta.resolve(args.path))))
          return { path: args.path, external: true };
        throw new Error('not a file');
      } catch {
        const found = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: 'inner',
        });
        if (found.errors.length > 0) return undefined;
        return { path: found.path, external: true };
      }
    });
  },
};

/**
 * Bundled CommonJS code requires Node built-ins (yaml reads `process`): an ES module has no
 * `require` of its own.
 */
const REQUIRE_BANNER =
  "import { createRequire as __weftCreateRequire } from 'node:module'; const require = __weftCreateRequire(import.meta.url);";

/**
 * Builds into `outdir`; resolves once main.js and its chunks are written. `entryPoints` replaces
 * the CLI's own for a program that must run the DSL exactly as `weft` does (the bench).
 */
export async function buildCli(
  root,
  outdir,
  entryPoints = { main: `${root}/interpreter/cli/main.ts` },
) {
  await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'error',
    banner: { js: REQUIRE_BANNER },
    plugins: [nodeResolvable, generatedValidators(root, `${outdir}.scratch`), sourceUrls],
  });
}
