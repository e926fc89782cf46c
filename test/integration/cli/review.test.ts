import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findChromium } from '../../../interpreter/review';
import { weft } from './weft';

/** `weft graph` and `weft diff` as a user runs them from the repository root. */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = (args: string[]) => weft(args, { cwd: ROOT });

describe('weft graph', () => {
  it('prints Mermaid by default, the golden drawing', async () => {
    const r = await run(['graph', 'examples/approval.flow.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      readFileSync(join(ROOT, 'test/fixtures/review/graphs/approval.mmd'), 'utf8'),
    );
  });

  it('writes SVG, and PNG through headless Chromium', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-graph-'));
    const svg = await run([
      'graph',
      'examples/order-fulfilment.flow.yaml',
      '--format',
      'svg',
      '--out',
      join(dir, 'o.svg'),
    ]);
    expect(svg.code).toBe(0);
    expect(readFileSync(join(dir, 'o.svg'), 'utf8')).toContain('>Reserve stock<');
    if (!findChromium()) return;
    const png = await run([
      'graph',
      'examples/order-fulfilment.flow.yaml',
      '--format',
      'png',
      '--out',
      join(dir, 'o.png'),
    ]);
    expect(png.stderr).toBe('');
    expect(png.code).toBe(0);
    const bytes = readFileSync(join(dir, 'o.png'));
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    // Twice the SVG's size in device pixels.
    const width = bytes.readUInt32BE(16);
    const svgWidth = Number(/width="([\d.]+)"/.exec(readFileSync(join(dir, 'o.svg'), 'utf8'))![1]);
    expect(width).toBe(Math.ceil(svgWidth) * 2);
  });

  it('a flow with an error: its positioned diagnostics, exit 2, nothing drawn', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-graph-'));
    const r = await run([
      'graph',
      'test/fixtures/review/invalid.flow.yaml',
      '--format',
      'svg',
      '--out',
      join(dir, 'x.svg'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^test\/fixtures\/review\/invalid\.flow\.yaml:\d+:\d+ {2}error {2}WEFT\d{3} {2}/m,
    );
    expect(r.stderr).toContain('WEFT_GRAPH_INVALID_FLOW');
    expect(existsSync(join(dir, 'x.svg'))).toBe(false);
  });

  it('usage errors name the WEFT_USAGE problem; an unknown child flow is WEFT_GRAPH_UNKNOWN_FLOW', async () => {
    expect((await run(['graph', 'examples/approval.flow.yaml', '--format', 'gif'])).code).toBe(2);
    const r = await run(['graph', 'examples/approval.flow.yaml', '--flow', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('WEFT_GRAPH_UNKNOWN_FLOW no child flow "nope"');
  });
});

describe('weft graph --diff', () => {
  it('colours the steps added, moved and changed since the old version', async () => {
    const r = await run([
      'graph',
      'test/fixtures/review/order-v2.flow.yaml',
      '--diff',
      'test/fixtures/review/order-v1.flow.yaml',
      '--format',
      'svg',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fill="#dafbe1" stroke="#1a7f37"/></g>'); // fraud-check, added
    expect(r.stdout).toContain('fill="#ddf4ff" stroke="#0969da"/></g>'); // set status, moved
    expect(r.stdout).toContain('fill="#fff8c5" stroke="#9a6700"/></g>'); // ship, changed
  });
});

describe('weft diff', () => {
  it('reports the changes as positioned lines, and that running flows keep their version', async () => {
    const r = await run([
      'diff',
      'test/fixtures/review/order-v1.flow.yaml',
      'test/fixtures/review/order-v2.flow.yaml',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      readFileSync(join(ROOT, 'test/fixtures/review/order-v1-v2.diff.txt'), 'utf8'),
    );
  });

  it('--format markdown has a table and the picture of the new version with the changes marked', async () => {
    const r = await run([
      'diff',
      'test/fixtures/review/order-v1.flow.yaml',
      'test/fixtures/review/order-v2.flow.yaml',
      '--format',
      'markdown',
    ]);
    expect(r.stdout).toContain('| added | `fraud-check` Check for fraud | steps #2 |');
    expect(r.stdout).toContain('```mermaid\nflowchart TD');
    expect(r.stdout).toMatch(/class n\d+ added/);
  });

  it('an invalid side: its positioned diagnostics, exit 2', async () => {
    const r = await run([
      'diff',
      'test/fixtures/review/order-v1.flow.yaml',
      'test/fixtures/review/invalid.flow.yaml',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid\.flow\.yaml:\d+:\d+ {2}error {2}WEFT\d{3}/);
    expect(r.stderr).toContain('WEFT_DIFF_INVALID_FLOW');
  });
});
