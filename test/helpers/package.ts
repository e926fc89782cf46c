/**
 * Packs this checkout as the published package and installs the tarball into another project, the
 * way a team gets Weft: the package test and the bench's package section share it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDesigner, designerMissing } from '../../interpreter/cli/designer-build';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function mustRun(command: string, args: string[], cwd: string): Promise<string> {
  const r = await run(command, args, cwd);
  if (r.code !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export interface PackedWeft {
  tarball: string;
  /** Bytes of the tarball, and of its files unpacked. */
  size: number;
  unpackedSize: number;
  files: number;
}

/**
 * What `npm pack` does through prepack, except that the designer is built only when it never was:
 * rebuilding it would empty designer/dist under other test files' `weft serve`.
 */
export async function packWeft(): Promise<PackedWeft> {
  if (designerMissing(ROOT) && !(await buildDesigner(ROOT)))
    throw new Error('the designer build failed');
  await mustRun(process.execPath, ['bin/dist-build.mjs'], ROOT);
  const dir = mkdtempSync(join(tmpdir(), 'weft-pack-'));
  const [packed] = JSON.parse(
    await mustRun('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT),
  ) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
  if (!packed) throw new Error('npm pack wrote no tarball');
  return {
    tarball: join(dir, packed.filename),
    size: packed.size,
    unpackedSize: packed.unpackedSize,
    files: packed.entryCount,
  };
}

/** `npm install <tarball>` in `project`, from the npm cache where it can. */
export async function installTarball(project: string, tarball: string): Promise<void> {
  await mustRun(
    'npm',
    ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
    project,
  );
}
