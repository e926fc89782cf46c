import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * A measured figure written into a comment goes stale the day the code around it changes, and
 * nothing re-measures it. Figures live in the bench's results and the README; a comment says why.
 * This flags a comment sentence that reports a measurement: a measuring word followed, in the
 * same sentence, by a number.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCES = ['interpreter', 'designer/src', 'bin', 'test/helpers'];
const MEASURING = /\b(measured|took|median|p95|on an idle machine|under load|wall time)\b[^.;]*\d/i;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...sourceFiles(rel));
    } else if (/\.(ts|tsx|mjs)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

/** Comment lines of a file, joined per comment block so a sentence may span lines. */
function commentSentences(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  let block: { line: number; parts: string[] } | undefined;
  const flush = () => {
    if (block) out.push({ line: block.line, text: block.parts.join(' ') });
    block = undefined;
  };
  for (const [i, raw] of lines.entries()) {
    const m = /^\s*(?:\/\/+|\/\*+|\*(?!\/))\s?(.*)$/.exec(raw) ?? /\S\s+\/\/\s(.*)$/.exec(raw);
    if (!m) {
      flush();
      continue;
    }
    block ??= { line: i + 1, parts: [] };
    block.parts.push((m[1] ?? '').replace(/\*\/\s*$/, ''));
    if (/\*\/\s*$/.test(raw) || !/^\s*(\/\/|\*|\/\*)/.test(raw)) flush();
  }
  flush();
  return out;
}

describe('comments say why, not what was measured', () => {
  it('flags a figure in a comment', () => {
    const flagged = commentSentences(
      '/**\n * Measured with 300 flows, V8 heap per\n * cached flow: 247 KiB.\n */\nconst a = 1;',
    ).filter((c) => MEASURING.test(c.text));
    expect(flagged).toHaveLength(1);
  });

  it('lets a limit or a reason through', () => {
    const flagged = commentSentences(
      '// The server accepts 2 MB per payload.\n// Parsing again is only slower.\nconst a = 1;',
    ).filter((c) => MEASURING.test(c.text));
    expect(flagged).toEqual([]);
  });

  it('finds no measured figure in the sources', () => {
    const found: string[] = [];
    for (const dir of SOURCES) {
      for (const file of sourceFiles(dir)) {
        for (const c of commentSentences(readFileSync(join(ROOT, file), 'utf8'))) {
          if (MEASURING.test(c.text)) found.push(`${file}:${c.line}  ${c.text.trim()}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
