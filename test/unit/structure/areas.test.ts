import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * `npm run typecheck` checks only the files an area's tsconfig lists, so a new folder that no
 * area includes would never be type-checked. Every TypeScript file belongs to exactly one area.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function areaFiles(tsconfig: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, tsconfig),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  return parsed.fileNames.map((f) => relative(ROOT, f));
}

/**
 * Projects of their own, which the tests copy out of the checkout and type-check with their own
 * tsconfig against an installed package (they import `weft`, which only an install provides).
 */
const OWN_PROJECTS = ['test/integration/package/fixtures/project'];

function typescriptFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = dir === '.' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (OWN_PROJECTS.includes(rel)) continue;
      if (
        !['node_modules', 'dist', '.git', 'histories'].includes(entry.name) &&
        !entry.name.startsWith('.')
      ) {
        out.push(...typescriptFiles(rel));
      }
    } else if (/\.(ts|tsx|mts|cts)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

describe('areas', () => {
  it('every TypeScript file in the repository is type-checked by exactly one area', () => {
    const solution = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile).config as {
      references: { path: string }[];
    };
    const owners = new Map<string, string[]>();
    for (const { path } of solution.references) {
      const tsconfig = path.endsWith('.json') ? path : `${path}/tsconfig.json`;
      for (const file of areaFiles(tsconfig)) {
        owners.set(file, [...(owners.get(file) ?? []), tsconfig]);
      }
    }
    const files = typescriptFiles('.');
    expect(files.length).toBeGreaterThan(200);
    expect(files.filter((f) => !owners.has(f))).toEqual([]);
    expect([...owners].filter(([, areas]) => areas.length > 1)).toEqual([]);
  });
});
