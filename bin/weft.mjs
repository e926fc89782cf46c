#!/usr/bin/env node
// In a checkout the CLI is TypeScript. Running it through tsx on every call cost more than the command itself, so
// it is compiled once with esbuild into a cache folder keyed on its sources (their paths, sizes
// and modification times): an edited source is a new key, and a stale build never runs.
// WEFT_CLI_TSX=1 runs the sources through tsx as before; WEFT_CLI_CACHE moves the cache.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Every input of the build: the interpreter's sources (and the designer modules it bundles), the
 * flow schema (bundled, and compiled into validators), the activities schema (bundled), the
 * package's dependencies (some are bundled) and the build script.
 */
function sourcesKey() {
  const hash = createHash('sha256').update(ROOT);
  const files = [
    join(ROOT, 'bin', 'cli-build.mjs'),
    join(ROOT, 'schema', 'flow.schema.json'),
    join(ROOT, 'schema', 'activities.schema.json'),
    join(ROOT, 'schema', 'flow-test.schema.json'),
    join(ROOT, 'package.json'),
  ];
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(lock)) files.push(lock);
  for (const entry of readdirSync(join(ROOT, 'interpreter'), { recursive: true })) {
    if (entry.endsWith('.ts')) files.push(join(ROOT, 'interpreter', entry));
  }
  // `weft graph` and `weft diff` bundle the designer's graph model and layout.
  for (const dir of ['designer/src/graph', 'designer/src/layout']) {
    if (!existsSync(join(ROOT, dir))) continue;
    for (const entry of readdirSync(join(ROOT, dir))) {
      if (entry.endsWith('.ts')) files.push(join(ROOT, dir, entry));
    }
  }
  files.sort();
  for (const file of files) {
    const s = statSync(file);
    hash.update(`${file}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 20);
}

/** The compiled main module, built first when missing. */
async function compiledMain() {
  const cache = process.env.WEFT_CLI_CACHE || join(ROOT, 'node_modules', '.cache', 'weft-cli');
  const key = sourcesKey();
  const dir = join(cache, key);
  const main = join(dir, 'main.js');
  if (existsSync(main)) return main;
  // Built aside and renamed into place, so a concurrent `weft` never imports half a build.
  const tmp = join(cache, `${key}.tmp-${process.pid}`);
  mkdirSync(cache, { recursive: true });
  const { buildCli } = await import('./cli-build.mjs');
  await buildCli(ROOT, tmp);
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another `weft` won the race: same sources
  }
  pruneOlderBuilds(cache, key);
  return main;
}

/** Removes builds of other sources, once they are old enough that no running `weft` uses them. */
function pruneOlderBuilds(cache, keep) {
  const before = Date.now() - 60 * 60 * 1000;
  for (const name of readdirSync(cache)) {
    if (name === keep) continue;
    const path = join(cache, name);
    try {
      if (statSync(path).mtimeMs < before) rmSync(path, { recursive: true, force: true });
    } catch {
      // Already gone: another `weft` pruned it.
    }
  }
}

async function viaTsx() {
  const { register } = await import('tsx/esm/api');
  register();
  return import('../interpreter/cli/main.ts');
}

// An installed package ships the CLI compiled (dist/cli.js, see bin/dist-build.mjs) and no sources.
const shipped = !existsSync(join(ROOT, 'interpreter', 'cli', 'main.ts'));
let compiled = shipped ? join(ROOT, 'dist', 'cli.js') : undefined;
if (!shipped && process.env.WEFT_CLI_TSX !== '1') {
  try {
    compiled = await compiledMain();
  } catch (err) {
    // A read-only install, say: the sources still run, only slower.
    console.error(`weft: could not compile the CLI (${err.message}); running it through tsx`);
  }
}
const { main } = compiled ? await import(pathToFileURL(compiled).href) : await viaTsx();
process.exitCode = await main(process.argv.slice(2));
