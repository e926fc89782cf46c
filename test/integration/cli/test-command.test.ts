import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { weft, weftEnv } from './weft';

// `weft test` starts Temporal's Java time-skipping test server itself (TEMPORAL_ADDRESS is for
// `--dev-server`), so these runs do not touch the shared dev server unless they ask to.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');
const SLEEPY = 'weft-test/sleepy.test.yaml';

function flowFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.flow.yaml'))
    .map((e) => join(e.parentPath, e.name));
}

describe('weft test', () => {
  it('passes every case of every example, and every example has a test file', async () => {
    const flows = flowFiles(EXAMPLES);
    expect(flows.length).toBeGreaterThan(0);
    for (const flow of flows)
      expect(existsSync(flow.replace(/\.flow\.yaml$/, '.test.yaml'))).toBe(true);

    const r = await weft(['test', 'examples'], { cwd: ROOT });
    expect(r.stderr).not.toContain('not on the time-skipping test server');
    expect(r.stdout).not.toContain('✗');
    expect(r.stdout).toContain('examples/order-fulfilment.test.yaml (order-fulfilment)');
    expect(r.stdout).toContain(
      '  ✓ a failed shipment refunds, then releases (the saga, newest first)',
    );
    expect(r.stdout).toMatch(
      /✓ \d+ passed, 0 failed \(\d+ cases in 8 files\) on the time-skipping test server/,
    );
    expect(r.code).toBe(0);
  });

  it('skips 30 days of sleep, reports a failed case with a diff and writes JUnit XML', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'weft-junit-')), 'junit.xml');
    const r = await weft(['test', SLEEPY, '--reporter', 'junit', '--output', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ {2}✓ wakes after 30 days and greets \(\d+ ms\)/);
    expect(r.stdout).toMatch(/ {2}✓ counts the pokes sent while it sleeps \(\d+ ms\)/);
    expect(r.stdout).toMatch(/ {2}✓ a greeter that is down fails the flow \(\d+ ms\)/);
    expect(r.stdout).toContain(
      `      ${SLEEPY}:24:15  output.greeting: expected "Hello, Cyd", got "Hello, Cy"`,
    );
    expect(r.stdout).toContain(
      [
        '      - expected',
        '      + actual',
        '        {',
        '      -   "greeting": "Hello, Cyd",',
        '      +   "greeting": "Hello, Cy",',
        '          "pokes": 0',
        '        }',
      ].join('\n'),
    );
    expect(r.stdout).toMatch(/✗ 3 passed, 1 failed \(4 cases in 1 file\)/);

    const xml = readFileSync(out, 'utf8');
    expect(xml).toContain('<testsuites name="weft test" tests="4" failures="1"');
    expect(xml).toContain(
      `name="counts the pokes sent while it sleeps" file="${SLEEPY}" line="12"`,
    );
    expect(xml).toContain(
      '<failure message="output.greeting: expected &quot;Hello, Cyd&quot;, got &quot;Hello, Cy&quot;">',
    );
  });

  it('refuses a test file that mocks an activity the flow does not use, with positions', async () => {
    const r = await weft(['test', 'weft-test/unused-mock.test.yaml']);
    expect(r.code).toBe(2);
    // Only weft's own lines (a server started ahead of the check may add the JVM's notices).
    expect(r.stderr.split('\n').filter((l) => !l.startsWith('SLF4J'))).toEqual([
      'weft-test/unused-mock.test.yaml:6:7  error  WEFT090  mock "payment.charge": flow sleepy has no activity step with this id and calls no activity of this name (it uses greet, greet.hello)',
      'weft-test/unused-mock.test.yaml:8:17  error  WEFT092  signal "nudge": flow sleepy declares no such signal (it has poke)',
      'weft test: 2 errors; no case was run',
      '',
    ]);
    expect(r.stdout).toBe('');
  });

  it('runs on the dev server when asked (as it does when Java is missing)', async () => {
    const r = await weft(['test', 'examples/children', '--dev-server'], {
      cwd: ROOT,
      env: weftEnv(),
    });
    expect(r.stdout).toMatch(/✓ 2 passed, 0 failed \(2 cases in 1 file\) on the dev server/);
    expect(r.code).toBe(0);
  });
});
