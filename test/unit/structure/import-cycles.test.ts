import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Modules import each other one way. Biome's noImportCycles (biome.json) reports cycles through
 * import and export statements, type-only ones included; this test also follows `import('…')`
 * in type positions, which Biome does not see and which tied bench/results.ts to
 * bench/targets.ts. A cycle is reported as its files, each importing the next.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIRS = ['interpreter', 'designer/src', 'bench', 'test'];
const SOURCE = /\.(ts|tsx|mts|mjs)$/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!['node_modules', 'dist', 'histories'].includes(entry.name)) out.push(...sources(rel));
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** The file a relative specifier names, the way the Bundler resolution finds it. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(ROOT, dirname(from), specifier);
  const candidates = [
    base,
    ...['.ts', '.tsx', '.mts', '.mjs'].map((ext) => base + ext),
    ...['index.ts', 'index.tsx'].map((index) => join(base, index)),
  ];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return found && relative(ROOT, found);
}

/** file -> the files it imports, by every kind of import the compiler follows. */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const imported = ts
      .preProcessFile(text, true, true)
      .importedFiles.map((f) => f.fileName)
      .filter((s) => s.startsWith('.'))
      .map((s) => resolveRelative(file, s))
      .filter((f): f is string => f !== undefined && SOURCE.test(f));
    graph.set(file, [...new Set(imported)]);
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (;;) {
        const w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
        if (w === v) break;
      }
      if (component.length > 1 || graph.get(v)?.includes(v)) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return out;
}

describe('import cycles', () => {
  it('no module imports itself back, through any chain of imports', () => {
    const files = DIRS.flatMap(sources);
    expect(files.length).toBeGreaterThan(100);
    expect(cycles(importGraph(files))).toEqual([]);
  });

  it('the finder reports a cycle closed by an import type in a type position', () => {
    const graph = new Map([
      ['results.ts', ['sections.ts']],
      ['sections.ts', []],
      ['targets.ts', ['results.ts']],
    ]);
    expect(cycles(graph)).toEqual([]);
    graph.set('results.ts', ['sections.ts', 'targets.ts']);
    expect(cycles(graph)).toEqual([['results.ts', 'targets.ts']]);
    expect(cycles(new Map([['self.ts', ['self.ts']]]))).toEqual([['self.ts']]);
  });

  it('follows type-position imports, re-exports and import = require', () => {
    const text =
      "let t: import('./targets').TargetCheck[];\nexport type { A } from './a';\n" +
      "import b = require('./b');\nconst c = await import('./c');\n";
    expect(ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName)).toEqual([
      './targets',
      './a',
      './b',
      './c',
    ]);
  });
});
