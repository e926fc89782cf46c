import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, findInvalidUtf8 } from '../../../interpreter/dsl';
import { loadFlowFile } from '../../../interpreter/dsl/node';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('strict UTF-8 (issue 12: invalid bytes were replaced by U+FFFD)', () => {
  it('decodes valid UTF-8 as is, a BOM and 4-byte characters included', () => {
    const text = '\uFEFFflow: ünïcode 🎉\n';
    expect(decodeUtf8(Buffer.from(text))).toEqual({ text });
  });

  it.each([
    ['a stray continuation byte', [0x80]],
    ['0xff', [0xff]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
  ])('finds %s at its line and column', (_name, bad) => {
    const buf = bytes('flow: x\nsteps: é', bad, 'tail\n');
    const found = findInvalidUtf8(buf);
    expect(found).toEqual({ offset: 'flow: x\nsteps: é'.length + 1, line: 2, col: 9 });
    expect(decodeUtf8(buf)).toEqual({ error: found });
  });

  it('loadFlowFile refuses a file that is not UTF-8 with WEFT051 at the bad byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-utf8-'));
    const file = join(dir, 'bad.flow.yaml');
    writeFileSync(file, bytes('flow: bad\nsteps:\n  - log: "caf', [0xe9], '"\n'));
    const result = loadFlowFile(file);
    expect(result.compiled).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'WEFT051', severity: 'error', line: 3, col: 14, file }),
    ]);
    expect(result.diagnostics[0]?.message).toMatch(/line 3, column 14/);
  });
});
