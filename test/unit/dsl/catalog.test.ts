import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG, formatDiagnostic } from '../../../interpreter/dsl';

const readme = readFileSync(new URL('../../../schema/README.md', import.meta.url), 'utf8');

describe('the diagnostics catalog', () => {
  it('has stable, well-formed codes with one line of documentation each', () => {
    for (const [code, doc] of Object.entries(CATALOG)) {
      expect(code).toMatch(/^WEFT\d{3}$/);
      expect(doc).toMatch(/^\S.*\.$/);
      expect(doc).not.toContain('\n');
    }
  });

  it('is documented in schema/README.md, word for word', () => {
    const rows = readme.matchAll(/^\| (WEFT\d{3}) +\| (.*?) *\|$/gm);
    const documented = [...rows].map((m) => [m[1], m[2]]);
    expect(documented).toEqual(Object.entries(CATALOG));
  });

  it('formats diagnostics as compilers do', () => {
    const line = formatDiagnostic(
      {
        code: 'WEFT020',
        severity: 'error',
        message: 'bad',
        pointer: '/steps/0/sleep',
        line: 4,
        col: 12,
      },
      'flows/a.flow.yaml',
    );
    expect(line).toBe('flows/a.flow.yaml:4:12  error  WEFT020  bad');
    const withHint = formatDiagnostic(
      {
        code: 'WEFT040',
        severity: 'warning',
        message: 'dead',
        pointer: '',
        line: 1,
        col: 1,
        hint: 'remove it',
        file: 'b.yaml',
      },
      'ignored.yaml',
    );
    expect(withHint).toBe('b.yaml:1:1  warning  WEFT040  dead (remove it)');
  });
});
