// Compiles the CLI (interpreter/cli/main.ts and everything it imports) into one folder of ES
// modules with esbuild, so `weft` runs plain JavaScript instead of TypeScript through tsx.
// Imported by bin/weft.mjs only when the cached build is missing or stale.
import { existsSync, readFileSync } from 'node:fs';
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
      let text = readFileSync(args.path, 'utf8');
      text = text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      // dsl/index.ts hides its Node entry from browser bundlers behind a variable specifier; the
      // CLI is a Node bundle, so name it literally and let esbuild split it into its own chunk.
      text = text.replace('import(/* @vite-ignore */ NODE_ENTRY)', "import('./node')");
      return { contents: text, loader: 'ts' };
    });
  },
};

/**
 * Packages stay external (node_modules is resolved at run time), but Node's ESM resolver needs an
 * exact file for a deep import into a package without `exports` (`ajv/dist/2020`): such a
 * specifier becomes the file esbuild resolves it to.
 */
const nodeResolvable = {
  name: 'weft-node-resolvable',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('node:')) return undefined;
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

/** Builds into `outdir`; resolves once main.js and its chunks are written. */
export async function buildCli(root, outdir) {
  await build({
    entryPoints: { main: `${root}/interpreter/cli/main.ts` },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'error',
    plugins: [nodeResolvable, sourceUrls],
  });
}
