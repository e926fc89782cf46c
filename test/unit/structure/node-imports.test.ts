import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Code that runs in the browser (the designer, and the model and dsl it uses) or in Temporal's
 * sandbox must not reach a Node module. Each area's tsconfig makes most such imports a type
 * error; this scan catches what the compiler lets through: `import type` of a Node module that
 * resolves anyway, a specifier kept in a string or a variable (a bundler or the sandbox follows
 * it at run time, the compiler does not), and triple-slash directives that bring the Node or DOM
 * types back in.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Area {
  name: string;
  dirs: string[];
  files?: string[];
  /** Files under `dirs` that run elsewhere, each with the reason. */
  except?: Record<string, string>;
  /** The area has no DOM either: `/// <reference lib="dom" />` is refused too. */
  noDom: boolean;
}

const AREAS: Area[] = [
  {
    name: 'designer',
    dirs: ['designer'],
    except: { 'designer/vite.config.ts': 'the Vite config runs in Node at build time' },
    noDom: false,
  },
  {
    name: 'workflow sandbox',
    dirs: ['interpreter/workflow', 'bench/workflows', 'test/replay/fixtures'],
    files: [
      'interpreter/observability/workflow-interceptors.ts',
      'interpreter/observability/names.ts',
    ],
    noDom: true,
  },
  { name: 'model', dirs: ['interpreter/model'], noDom: true },
  {
    name: 'dsl',
    dirs: ['interpreter/dsl'],
    except: { 'interpreter/dsl/node.ts': "the dsl's Node entry (reads flow files from disk)" },
    noDom: true,
  },
];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...sources(rel));
    } else if (/\.(ts|tsx|mts|cts|js|mjs|jsx)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

function isNodeModule(specifier: string): boolean {
  return specifier.startsWith('node:') || isBuiltin(specifier);
}

/** Every way `text` reaches a Node module (or the Node/DOM types), one line each. */
function nodeReferences(text: string, fileName: string, noDom: boolean): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node) =>
    `line ${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  // Literals already reported as an import's specifier, so the string scan does not repeat them.
  const specifiers = new Set<ts.Node>();
  const literal = (node: ts.Node | undefined): string | undefined => {
    if (!node || !(ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) {
      return undefined;
    }
    specifiers.add(node);
    return node.text;
  };
  const specifier = (node: ts.Node, spec: string | undefined, how: string) => {
    if (spec === undefined) {
      found.push(`${at(node)}: ${how} with a specifier the compiler cannot follow`);
    } else if (isNodeModule(spec)) found.push(`${at(node)}: ${how} '${spec}'`);
  };

  for (const ref of file.typeReferenceDirectives) {
    if (ref.fileName === 'node') found.push(`/// <reference types="node" />`);
  }
  for (const ref of file.libReferenceDirectives) {
    if (noDom && ref.fileName.toLowerCase().startsWith('dom')) {
      found.push(`/// <reference lib="${ref.fileName}" />`);
    }
  }

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier) specifier(node, literal(node.moduleSpecifier), 'imports');
    } else if (ts.isImportEqualsDeclaration(node)) {
      const ref = node.moduleReference;
      if (ts.isExternalModuleReference(ref)) specifier(node, literal(ref.expression), 'requires');
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      specifier(node, ts.isLiteralTypeNode(arg) ? literal(arg.literal) : undefined, 'imports');
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const how =
        callee.kind === ts.SyntaxKind.ImportKeyword
          ? 'imports'
          : ts.isIdentifier(callee) && callee.text === 'require'
            ? 'requires'
            : undefined;
      if (how) specifier(node, literal(node.arguments[0]), how);
    } else if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      node.text.startsWith('node:') &&
      !specifiers.has(node)
    ) {
      // A Node specifier kept in a string, for a later import() or require().
      found.push(`${at(node)}: names '${node.text}'`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return [...new Set(found)];
}

describe('no Node module in the browser or the sandbox', () => {
  for (const area of AREAS) {
    const files = [...area.dirs.flatMap(sources), ...(area.files ?? [])].filter(
      (f) => !(f in (area.except ?? {})),
    );

    it(`${area.name}: the scan covers its files`, () => {
      expect(files.length).toBeGreaterThan(0);
    });

    it.each(files)(`${area.name}: %s reaches no Node module`, (file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(nodeReferences(text, file, area.noDom)).toEqual([]);
    });
  }

  it('every exception still exists (a moved file does not leave a hole)', () => {
    const excepted = AREAS.flatMap((a) => Object.keys(a.except ?? {}));
    const all = AREAS.flatMap((a) => a.dirs.flatMap(sources));
    expect(excepted.filter((f) => !all.includes(f))).toEqual([]);
  });
});

describe('the scan sees what the compiler lets through', () => {
  const scan = (text: string) => nodeReferences(text, 'probe.ts', true);

  it('type-only imports and re-exports of Node modules', () => {
    expect(scan("import type { Stats } from 'node:fs';")).toEqual(["line 1: imports 'node:fs'"]);
    expect(scan("export type { Stats } from 'fs';")).toEqual(["line 1: imports 'fs'"]);
    expect(scan("let s: import('fs/promises').FileHandle;")).toEqual([
      "line 1: imports 'fs/promises'",
    ]);
  });

  it('specifiers in strings and variables, for import() or require()', () => {
    expect(scan("const m = 'node:crypto';\nawait import(m);")).toEqual([
      "line 1: names 'node:crypto'",
      'line 2: imports with a specifier the compiler cannot follow',
    ]);
    expect(scan('await import(/* @vite-ignore */ NODE_ENTRY);')).toEqual([
      'line 1: imports with a specifier the compiler cannot follow',
    ]);
    expect(scan("const fs = require('fs');")).toEqual(["line 1: requires 'fs'"]);
    expect(scan("await import('node:fs');")).toEqual(["line 1: imports 'node:fs'"]);
    expect(scan("import path = require('path');")).toEqual(["line 1: requires 'path'"]);
  });

  it('triple-slash directives that bring the Node or DOM types back', () => {
    expect(scan('/// <reference types="node" />\nexport {};')).toEqual([
      '/// <reference types="node" />',
    ]);
    expect(scan('/// <reference lib="dom" />\nexport {};')).toEqual([
      '/// <reference lib="dom" />',
    ]);
    expect(nodeReferences('/// <reference lib="dom" />\n', 'page.ts', false)).toEqual([]);
  });

  it('leaves packages, relative imports and plain words alone', () => {
    expect(
      scan(
        "import { sleep } from '@temporalio/workflow';\nimport type { Flow } from '../model';\n" +
          "import('elkjs/lib/elk.bundled.js');\nconst key = 'path';\n",
      ),
    ).toEqual([]);
  });
});
