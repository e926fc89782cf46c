import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installTarball, packWeft } from '../../test/helpers/package';
import { median, round } from '../stats';

export interface PackageResult {
  /** The tarball `npm pack` writes, and its files unpacked, in KiB. */
  packedKiB: number;
  unpackedKiB: number;
  files: number;
  /** package.json's dependencies, and every package an install of weft adds (transitively). */
  directDependencies: number;
  installedPackages: number;
  /** `weft --version` of the installed package beside `node -e 0`: medians, ms. */
  runs: number;
  nodeMs: number;
  versionMs: number;
  versionRatio: number;
}

function wallMs(args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: 'pipe', encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`package bench: node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/**
 * The package as a team installs it: packed from this checkout, installed from the tarball into an
 * empty project, then `weft --version` run from there (the bin, as npx would start it).
 */
export async function benchPackage(runs: number): Promise<PackageResult> {
  const packed = await packWeft();
  const project = mkdtempSync(join(tmpdir(), 'weft-bench-project-'));
  try {
    writeFileSync(join(project, 'package.json'), '{ "name": "bench", "private": true }\n');
    await installTarball(project, packed.tarball);
    const installed = join(project, 'node_modules/weft');
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    const bin = join(installed, 'bin/weft.mjs');
    wallMs([bin, '--version'], project); // the first start reads files the rest find cached
    const node: number[] = [];
    const version: number[] = [];
    for (let i = 0; i < runs; i++) {
      node.push(wallMs(['-e', '0'], project));
      version.push(wallMs([bin, '--version'], project));
    }
    const nodeMs = median(node);
    return {
      packedKiB: round(packed.size / 1024, 0),
      unpackedKiB: round(packed.unpackedSize / 1024, 0),
      files: packed.files,
      directDependencies: Object.keys(pkg.dependencies ?? {}).length,
      installedPackages: Object.keys(lock.packages).filter(
        (k) => k !== '' && k !== 'node_modules/weft',
      ).length,
      runs,
      nodeMs: round(nodeMs, 1),
      versionMs: round(median(version), 1),
      versionRatio: round(median(version) / nodeMs),
    };
  } finally {
    rmSync(project, { recursive: true, force: true });
    rmSync(dirname(packed.tarball), { recursive: true, force: true });
  }
}
