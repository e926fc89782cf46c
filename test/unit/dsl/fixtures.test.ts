import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';
import {
  CATALOG,
  type Diagnostic,
  fullSchemaValidator,
  parseFlowText,
} from '../../../interpreter/dsl';
import { loadFlowFile } from '../../../interpreter/dsl/node';
import type { ActivityManifest } from '../../../interpreter/model';

/**
 * Fixture-driven: every file in test/fixtures/valid must validate and compile with no
 * diagnostics; every file in test/fixtures/invalid has its expected diagnostics (code and line,
 * and the file when it is a child flow file) in `<name>.expected.json` beside it.
 */

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const validDir = join(fixtures, 'valid');
const invalidDir = join(fixtures, 'invalid');
const FLOW = /\.(ya?ml|json)$/;
const flowFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => FLOW.test(f) && !f.endsWith('.expected.json'))
    .sort();

/**
 * Codes that cannot be fixture files (a 5 MB file, an unreadable file, a flow over 2 MB compiled
 * or over 50,000 steps): tested in parse, cli and limits tests. WEFT070-WEFT074 are problems of
 * an activities file, not of a flow: activities-file.test.ts has them (test/fixtures/external).
 * WEFT085-WEFT086 come only from `weft export --to ows` (test/unit/ows/export.test.ts), and
 * WEFT090-WEFT095 are problems of a test file (test/unit/testing/load.test.ts).
 */
const NOT_AS_FIXTURES = new Set([
  'WEFT002',
  'WEFT050',
  'WEFT061',
  'WEFT062',
  'WEFT070',
  'WEFT071',
  'WEFT072',
  'WEFT073',
  'WEFT074',
  'WEFT085',
  'WEFT086',
  'WEFT090',
  'WEFT091',
  'WEFT092',
  'WEFT093',
  'WEFT094',
  'WEFT095',
]);

interface Expected {
  code: string;
  line: number;
  severity?: 'warning';
  file?: string;
}

let manifest: ActivityManifest;
beforeAll(async () => {
  manifest = (await loadPlugins([join(fixtures, 'plugins/fixtures.mjs')])).manifest();
});

function summarise(file: string, diagnostics: Diagnostic[]): Expected[] {
  return diagnostics.map((d) => {
    const row: Expected = { code: d.code, line: d.line };
    if (d.severity === 'warning') row.severity = 'warning';
    if (d.file && d.file !== file) row.file = relative(dirname(file), d.file);
    return row;
  });
}

function expectPositioned(diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.col).toBeGreaterThanOrEqual(1);
    expect(typeof d.pointer).toBe('string');
    expect(d.message.length).toBeGreaterThan(10);
    expect(Object.keys(CATALOG)).toContain(d.code);
  }
}

describe('valid fixtures', () => {
  it.each(flowFiles(validDir))('%s validates and compiles', async (name) => {
    const file = join(validDir, name);
    const { compiled, diagnostics } = loadFlowFile(file, { manifest });
    expect(summarise(file, diagnostics)).toEqual([]);
    expect(compiled?.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each(flowFiles(validDir))('%s also passes the schema file as editors read it', (name) => {
    // The validator checks steps one kind at a time; this runs the unmodified schema (with its
    // oneOf over step kinds), proving the file editors load accepts what the validator accepts.
    const { value } = parseFlowText(readFileSync(join(validDir, name), 'utf8'));
    const validate = fullSchemaValidator();
    expect(validate(value), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});

describe('invalid fixtures', () => {
  it.each(flowFiles(invalidDir))('%s reports its expected diagnostics', async (name) => {
    const file = join(invalidDir, name);
    const expected = JSON.parse(
      readFileSync(file.replace(FLOW, '.expected.json'), 'utf8'),
    ) as Expected[];
    const { diagnostics } = loadFlowFile(file, { manifest });
    expectPositioned(diagnostics);
    expect(summarise(file, diagnostics)).toEqual(expected);
  });

  it('cover every diagnostic code in the catalog', () => {
    const seen = new Set<string>();
    for (const name of flowFiles(invalidDir)) {
      const expected = JSON.parse(
        readFileSync(join(invalidDir, name).replace(FLOW, '.expected.json'), 'utf8'),
      ) as Expected[];
      for (const e of expected) seen.add(e.code);
    }
    const missing = Object.keys(CATALOG).filter((c) => !seen.has(c) && !NOT_AS_FIXTURES.has(c));
    expect(missing).toEqual([]);
  });
});
