import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The designer runs parse, validate and compile in Chromium, so the DSL core and the model must
 * not import Node built-ins. Only interpreter/dsl/node.ts may (index.ts loads it lazily, through a
 * specifier bundlers do not follow).
 */

const root = fileURLToPath(new URL('../../../interpreter/', import.meta.url));
const NODE_ONLY = new Set(['dsl/node.ts']);
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sources(rel));
    else if (entry.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

describe('browser safety', () => {
  it.each([...sources('dsl'), ...sources('model')].filter((f) => !NODE_ONLY.has(f)))(
    '%s imports no Node built-in',
    (file) => {
      const text = readFileSync(join(root, file), 'utf8');
      const specifiers = [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? '');
      const builtins = specifiers.filter(
        (s) =>
          s.startsWith('node:') ||
          ['fs', 'path', 'crypto', 'os', 'url', 'child_process'].includes(s),
      );
      expect(builtins).toEqual([]);
      expect(text).not.toMatch(/\bprocess\.(cwd|argv|exit)\b|\brequire\(/);
    },
  );
});
