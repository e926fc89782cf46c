import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';
import type { Diagnostic } from '../../../interpreter/dsl';
import { loadFlowFile } from '../../../interpreter/dsl/node';

/** `weft validate` and `weft schema` as users run them: a real process, real exit codes. */

const root = fileURLToPath(new URL('../../../', import.meta.url));

function weft(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('node', ['bin/weft.mjs', ...args], { cwd: root }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const plugin = 'test/fixtures/plugins/fixtures.mjs';

describe('weft validate', () => {
  it('exits 0 and prints nothing for valid files', async () => {
    const r = await weft(
      'validate',
      'test/fixtures/valid/every-step-kind.yaml',
      'test/fixtures/valid/json.flow.json',
      '--plugins',
      plugin,
    );
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  it('exits 1 and prints one file:line:col line per diagnostic', async () => {
    const r = await weft(
      'validate',
      'test/fixtures/valid/minimal.yaml',
      'test/fixtures/invalid/unknown-activity.yaml',
      'test/fixtures/invalid/bad-literal-input.yaml',
      'test/fixtures/invalid/syntax-error.yaml',
      'test/fixtures/invalid/alias-bomb.yaml',
      'test/fixtures/invalid/no-such-file.yaml',
      '--plugins',
      plugin,
    );
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    for (const line of lines) {
      expect(line).toMatch(/^\S+:\d+:\d+ {2}(error|warning) {2}WEFT\d{3} {2}\S/);
    }
    expect(lines[0]).toMatch(
      /^test\/fixtures\/invalid\/unknown-activity\.yaml:3:15 {2}error {2}WEFT023 {2}unknown activity "orders\.reserv".*Did you mean "orders\.reserve"\?/,
    );
    const located = lines.map((l) => l.split('  ').slice(0, 3).join(' '));
    expect(located).toContain('test/fixtures/invalid/bad-literal-input.yaml:5:16 error WEFT024');
    expect(located).toContain('test/fixtures/invalid/syntax-error.yaml:3:10 error WEFT001');
    expect(located).toContain('test/fixtures/invalid/alias-bomb.yaml:3:8 error WEFT003');
    expect(located).toContain('test/fixtures/invalid/no-such-file.yaml:1:1 error WEFT050');
    expect(r.stderr).toMatch(/errors?, \d+ warnings? in 6 files/);
  });

  it('exits 1 on a regex literal that can backtrack catastrophically, at its expression', async () => {
    const r = await weft('validate', 'test/fixtures/invalid/catastrophic-regex.yaml');
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^test\/fixtures\/invalid\/catastrophic-regex\.yaml:8:15 {2}error {2}WEFT100 {2}regex \/\(a\+\)\+\$\/ has a nested quantifier `\(a\+\)\+`/,
    );
    expect(lines.map((l) => l.split('  ').slice(0, 3).join(' '))).toEqual([
      'test/fixtures/invalid/catastrophic-regex.yaml:8:15 error WEFT100',
      'test/fixtures/invalid/catastrophic-regex.yaml:9:20 error WEFT100',
      'test/fixtures/invalid/catastrophic-regex.yaml:11:9 error WEFT100',
    ]);
  });

  it('prints the diagnostics array with --json', async () => {
    const r = await weft('validate', 'test/fixtures/invalid/undeclared-signal.yaml', '--json');
    expect(r.code).toBe(1);
    const diagnostics = JSON.parse(r.stdout) as { code: string; line: number; file: string }[];
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['WEFT025', 5],
      ['WEFT025', 6],
    ]);
    expect(diagnostics[0]?.file).toBe('test/fixtures/invalid/undeclared-signal.yaml');
  });

  it('reports what the dsl reports in-process, for every fixture', async () => {
    // The compiled CLI carries its own copies of yaml, jsonata and ajv and validators generated
    // ahead of time (bin/cli-build.mjs): none of that may change a diagnostic.
    const files = ['test/fixtures/valid', 'test/fixtures/invalid'].flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.expected.json'))
        .sort()
        .map((f) => `${dir}/${f}`),
    );
    const r = await weft('validate', ...files, '--plugins', plugin, '--json');
    expect(r.code).toBe(1);
    const manifest = (await loadPlugins([join(root, plugin)])).manifest();
    const inProcess = files.flatMap((file) =>
      loadFlowFile(join(root, file), { manifest }).diagnostics.map((d: Diagnostic) => ({
        ...d,
        file: d.file ? d.file.slice(root.length) : file,
      })),
    );
    expect(inProcess.length).toBeGreaterThan(files.length / 2);
    expect(JSON.parse(r.stdout)).toEqual(inProcess);
  });

  it('exits 2 on a usage error', async () => {
    expect((await weft('validate')).code).toBe(2);
    expect((await weft('validate', 'x.yaml', '--bogus')).code).toBe(2);
  });
});

describe('weft schema', () => {
  it('prints the schema', async () => {
    const r = await weft('schema');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(
      JSON.parse(readFileSync(`${root}schema/flow.schema.json`, 'utf8')),
    );
  });
});
