import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Each area's tsconfig says what its runtime provides, so a wrong global or import is a type
 * error. These fixtures prove it: each is compiled, as if it sat in the area's folder, with that
 * area's own compiler settings, and must fail with the named diagnostic (or, for the controls,
 * compile cleanly, so the failures are the settings' doing and not a broken setup).
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

type Fixtures = Record<string, string>;

/**
 * Diagnostics per fixture, compiled together in one program with the area's settings. With
 * `references`, the program also knows the areas this one references, as `tsc -b` does, so an
 * import of any other area is TS6307.
 */
function compileInArea(
  tsconfig: string,
  fixtures: Fixtures,
  { references = false } = {},
): Record<string, string[]> {
  const configPath = join(ROOT, tsconfig);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  // The area's runtime settings as they are; only the build plumbing is switched off, unless the
  // references are under test (composite is what makes tsc hold a project to its file list).
  const options: ts.CompilerOptions = references
    ? parsed.options
    : {
        ...parsed.options,
        noEmit: true,
        composite: false,
        declaration: false,
        emitDeclarationOnly: false,
        incremental: false,
      };
  const areaDir = dirname(configPath);
  const virtual = new Map(
    Object.entries(fixtures).map(([name, text]) => [join(areaDir, `boundary-${name}.ts`), text]),
  );
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = virtual.get(f);
    return text === undefined
      ? getSourceFile.call(host, f, lang, ...rest)
      : ts.createSourceFile(f, text, lang);
  };
  // The area's own global declarations (e.g. the dsl's portable.d.ts) come with it.
  const declarations = parsed.fileNames.filter((f) => f.endsWith('.d.ts'));
  const program = ts.createProgram({
    rootNames: [...declarations, ...virtual.keys()],
    options,
    host,
    ...(references ? { projectReferences: parsed.projectReferences ?? [] } : {}),
  });
  // Only the fixtures are checked; TS6307 comes with the program's own diagnostics.
  const all = [
    ...program.getOptionsDiagnostics(),
    ...[...virtual.keys()].flatMap((path) => {
      const file = program.getSourceFile(path);
      return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    }),
  ];
  const out: Record<string, string[]> = {};
  for (const [path] of virtual) {
    const name = path.slice(path.lastIndexOf('boundary-') + 'boundary-'.length, -'.ts'.length);
    out[name] = all
      .filter((d) => d.file?.fileName === path)
      .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  return out;
}

const NODE_AND_DOM: Fixtures = {
  'node-import': "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n",
  'node-type-import': "import type { Stats } from 'node:fs';\nexport type S = Stats;\n",
  'bare-builtin': "import { join } from 'path';\nexport const j = join;\n",
  process: 'export const env = process.env.HOME;\n',
  buffer: "export const b = Buffer.from('x');\n",
  window: 'export const here = window.location.href;\n',
  document: 'export const title = document.title;\n',
  fetch: "export const answer = fetch('https://example.org');\n",
};

/** What an area with neither DOM nor Node types answers to each of NODE_AND_DOM. */
const REFUSED_WITHOUT_DOM_OR_NODE = {
  'node-import': expect.stringMatching(/^TS2307: Cannot find module 'node:fs'/),
  'node-type-import': expect.stringMatching(/^TS2307: Cannot find module 'node:fs'/),
  'bare-builtin': expect.stringMatching(/^TS2307: Cannot find module 'path'/),
  process: expect.stringMatching(/^TS2591: Cannot find name 'process'/),
  buffer: expect.stringMatching(/^TS2591: Cannot find name 'Buffer'/),
  window: expect.stringMatching(/^TS2304: Cannot find name 'window'/),
  document: expect.stringMatching(/^TS2584: Cannot find name 'document'/),
  fetch: expect.stringMatching(/^TS2304: Cannot find name 'fetch'/),
};

/** The first diagnostic of each failing fixture, for a readable comparison. */
function firstOf(result: Record<string, string[]>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, result[n]?.[0] ?? 'no error']));
}

describe('the workflow sandbox (interpreter/workflow/tsconfig.json)', () => {
  const result = compileInArea('interpreter/workflow/tsconfig.json', {
    ...NODE_AND_DOM,
    control:
      "import { sleep } from '@temporalio/workflow';\n" +
      "import type { CompiledFlow } from '../model';\n" +
      'export async function wait(flow: CompiledFlow): Promise<string> {\n' +
      '  await sleep(1);\n' +
      '  return JSON.stringify(flow);\n' +
      '}\n',
  });

  it('compiles sandbox code that uses only @temporalio/workflow and the model', () => {
    expect(result.control).toEqual([]);
  });

  it('refuses Node modules and Node globals, and every DOM global', () => {
    expect(firstOf(result, Object.keys(NODE_AND_DOM))).toEqual(REFUSED_WITHOUT_DOM_OR_NODE);
  });
});

describe('the model and the dsl (no DOM, no Node: the designer and the CLI both run them)', () => {
  for (const tsconfig of ['interpreter/model/tsconfig.json', 'interpreter/dsl/tsconfig.json']) {
    it(`${tsconfig} refuses Node modules, Node globals and DOM globals`, () => {
      const result = compileInArea(tsconfig, NODE_AND_DOM);
      expect(firstOf(result, Object.keys(NODE_AND_DOM))).toEqual(REFUSED_WITHOUT_DOM_OR_NODE);
    });
  }

  it('the dsl may use the globals that browsers and Node share', () => {
    const result = compileInArea('interpreter/dsl/tsconfig.json', {
      control:
        "import { parseFlowText } from './parse';\n" +
        "const bytes = new TextEncoder().encode('flow: x');\n" +
        "export const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);\n" +
        "export const parsed = structuredClone(parseFlowText(text, 'x.flow.yaml'));\n",
    });
    expect(result.control).toEqual([]);
  });
});

describe('the designer (designer/tsconfig.json)', () => {
  const node = {
    'node-import': NODE_AND_DOM['node-import'] ?? '',
    'node-type-import': NODE_AND_DOM['node-type-import'] ?? '',
    process: NODE_AND_DOM.process ?? '',
    buffer: NODE_AND_DOM.buffer ?? '',
  };
  const result = compileInArea('designer/tsconfig.json', {
    ...node,
    control:
      "import { parseFlowText } from '../interpreter/dsl';\n" +
      "export const parsed = parseFlowText(document.title, 'x.flow.yaml');\n",
  });

  it('compiles browser code that reads the DOM and runs the dsl', () => {
    expect(result.control).toEqual([]);
  });

  it('refuses Node modules and Node globals', () => {
    expect(firstOf(result, Object.keys(node))).toEqual({
      'node-import': expect.stringMatching(/^TS2307: Cannot find module 'node:fs'/),
      'node-type-import': expect.stringMatching(/^TS2307: Cannot find module 'node:fs'/),
      process: expect.stringMatching(/^TS2591: Cannot find name 'process'/),
      buffer: expect.stringMatching(/^TS2591: Cannot find name 'Buffer'/),
    });
  });
});

describe('the references are the import rules', () => {
  /** Whether tsc refuses the import as outside the area's projects (TS6307). */
  const refused = (result: Record<string, string[]>) =>
    Object.fromEntries(
      Object.entries(result).map(([name, d]) => [name, d.some((m) => m.startsWith('TS6307'))]),
    );
  // Small modules of each area keep the programs small; any file of the area is refused alike.
  const importing = (specifier: string) =>
    `import * as area from '${specifier}';\nexport const used = area;\n`;

  it('the designer imports the model and the dsl, and no other area', () => {
    const result = compileInArea(
      'designer/tsconfig.json',
      {
        model: importing('../interpreter/model'),
        dsl: importing('../interpreter/dsl'),
        'dsl-node-entry': importing('../interpreter/dsl/node'),
        client: importing('../interpreter/client/errors'),
        workflow: importing('../interpreter/workflow/patches'),
      },
      { references: true },
    );
    expect(refused(result)).toEqual({
      model: false,
      dsl: false,
      'dsl-node-entry': true,
      client: true,
      workflow: true,
    });
  });

  it('the sandbox imports the model, and neither the dsl nor the server side', () => {
    const result = compileInArea(
      'interpreter/workflow/tsconfig.json',
      {
        model: importing('../model'),
        dsl: importing('../dsl'),
        activities: importing('../activities/duration'),
      },
      { references: true },
    );
    expect(refused(result)).toEqual({ model: false, dsl: true, activities: true });
  });

  it('the model imports no other area', () => {
    const result = compileInArea(
      'interpreter/model/tsconfig.json',
      { dsl: importing('../dsl') },
      { references: true },
    );
    expect(refused(result)).toEqual({ dsl: true });
  });
});
