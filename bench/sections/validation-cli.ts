import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeFlowText } from '../flows';
import { median, round } from '../stats';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Which YAML reader a run uses: the one `weft` ships, or the yaml package alone. */
export type Reader = 'shipped' | 'yaml';

export interface ValidationCliResult {
  steps: number;
  runs: number;
  /**
   * Medians over fresh processes, ms: the first parse + validate + compile in a process whose
   * modules are loaded (what one `weft validate` pays for the flow), then the same again warm.
   */
  coldMs: Record<Reader, number>;
  /** CPU time of the same, the process's threads together. */
  coldCpuMs: Record<Reader, number>;
  coldParseMs: Record<Reader, number>;
  warmMs: Record<Reader, number>;
  /** The yaml package alone over the shipped reader, cold. */
  yamlRatio: number;
}

interface ChildLine {
  parseMs: number;
  totalMs: number;
  cpuMs: number;
  warmMs: number[];
}

/**
 * A generated flow of `steps` steps validated as the CLI validates it: a program built with the
 * CLI's own build (bin/cli-build.mjs), one fresh process per run, the shipped reader and the
 * yaml package alone interleaved so load affects both alike.
 */
export async function benchValidationCli(
  steps: number,
  runs: number,
): Promise<ValidationCliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-validation-'));
  try {
    // @ts-expect-error: a JavaScript build script without type declarations
    const { buildCli } = (await import('../../bin/cli-build.mjs')) as {
      buildCli(root: string, outdir: string, entries: Record<string, string>): Promise<void>;
    };
    // Beside the sources, so the child resolves the packages left external.
    const out = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'weft-bench-validation-'));
    try {
      await buildCli(ROOT, out, { child: join(ROOT, 'bench', 'validation-cli', 'child.ts') });
      const file = join(dir, `bench-${steps}.flow.yaml`);
      writeFileSync(file, largeFlowText(steps));
      const lines: Record<Reader, ChildLine[]> = { shipped: [], yaml: [] };
      for (let i = 0; i < runs; i++) {
        for (const reader of ['shipped', 'yaml'] as const) {
          const r = spawnSync(process.execPath, [join(out, 'child.js'), file, reader, '5'], {
            encoding: 'utf8',
          });
          if (r.status !== 0) throw new Error(`validation child (${reader}): ${r.stderr}`);
          lines[reader].push(JSON.parse(r.stdout) as ChildLine);
        }
      }
      const of = (pick: (l: ChildLine) => number) => ({
        shipped: round(median(lines.shipped.map(pick)), 1),
        yaml: round(median(lines.yaml.map(pick)), 1),
      });
      const coldMs = of((l) => l.totalMs);
      return {
        steps,
        runs,
        coldMs,
        coldCpuMs: of((l) => l.cpuMs),
        coldParseMs: of((l) => l.parseMs),
        warmMs: of((l) => median(l.warmMs)),
        yamlRatio: round(coldMs.yaml / coldMs.shipped),
      };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
