import { relative } from 'node:path';
import { jsonDiff } from './expect';
import type { CaseResult, FileResult } from './runner';

const shown = (file: string) => relative(process.cwd(), file) || file;

/**
 * A file's results as a person reads them: one line per case, and under a failed case each
 * mismatch at its place in the test file (`file:line:col`, as compilers print) with a diff of
 * the expected and actual values.
 */
export function textReport(result: FileResult): string[] {
  const file = shown(result.file);
  const lines = [`${file} (${result.flow})`];
  for (const c of result.cases) {
    lines.push(`  ${c.passed ? '✓' : '✗'} ${c.name} (${c.ms} ms)`);
    for (const m of c.mismatches) {
      const [first, ...rest] = m.message.split('\n');
      lines.push(`      ${file}:${m.line}:${m.col}  ${first}`);
      for (const more of rest) lines.push(`      ${' '.repeat(file.length + 3)}${more}`);
      if (m.expected !== undefined || m.actual !== undefined) {
        lines.push('      - expected', '      + actual');
        for (const d of jsonDiff(m.expected, m.actual)) lines.push(`      ${d}`);
      }
    }
  }
  return lines;
}

export function summaryLine(results: FileResult[], ms: number, server: string): string {
  const cases = results.flatMap((r) => r.cases);
  const failed = cases.filter((c) => !c.passed).length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${failed === 0 ? '✓' : '✗'} ${cases.length - failed} passed, ${failed} failed (${plural(cases.length, 'case')} in ${plural(results.length, 'file')}) on the ${server}, ${(ms / 1000).toFixed(1)} s`;
}

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Control characters other than tab and newline are not allowed in XML 1.0.
    .replace(/[^\t\n\r\u0020-\uffff]/g, '');

function failureText(file: string, c: CaseResult): string {
  return c.mismatches
    .map((m) => {
      const diff =
        m.expected !== undefined || m.actual !== undefined
          ? `\n- expected\n+ actual\n${jsonDiff(m.expected, m.actual).join('\n')}`
          : '';
      return `${file}:${m.line}:${m.col}  ${m.message}${diff}`;
    })
    .join('\n\n');
}

/** JUnit XML, as CI systems read it: a suite per test file, a test case per case. */
export function junitReport(results: FileResult[]): string {
  const all = results.flatMap((r) => r.cases);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((sum, r) => sum + r.ms, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="weft test" tests="${all.length}" failures="${all.filter((c) => !c.passed).length}" time="${seconds(total)}">`,
  ];
  for (const r of results) {
    const file = shown(r.file);
    const failures = r.cases.filter((c) => !c.passed).length;
    out.push(
      `  <testsuite name="${xml(file)}" tests="${r.cases.length}" failures="${failures}" errors="0" time="${seconds(r.ms)}">`,
    );
    for (const c of r.cases) {
      const open = `    <testcase classname="${xml(`${file} (${r.flow})`)}" name="${xml(c.name)}" file="${xml(file)}" line="${c.line}" time="${seconds(c.ms)}"`;
      if (c.passed) {
        out.push(`${open}/>`);
        continue;
      }
      const first = c.mismatches[0]?.message.split('\n')[0] ?? 'failed';
      out.push(
        `${open}>`,
        `      <failure message="${xml(first)}">${xml(failureText(file, c))}</failure>`,
        '    </testcase>',
      );
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
