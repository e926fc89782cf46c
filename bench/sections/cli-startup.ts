import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, round } from '../stats';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/weft.mjs', import.meta.url));
/** A small flow: the example most users validate first. */
const SMALL_FLOW = 'examples/approval.flow.yaml';

export interface CliStartupResult {
  runs: number;
  /** Medians, ms of wall time per process, `node -e 0` being the floor any CLI pays. */
  nodeMs: number;
  versionMs: number;
  validateMs: number;
  /** weft's time over node's: what the machine's load does not explain away. */
  versionRatio: number;
  validateRatio: number;
}

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`cli bench: node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/**
 * `weft --version` and `weft validate` of a small flow as a user runs them (a fresh process, the
 * compiled CLI already cached), interleaved with `node -e 0` so load affects all three alike.
 */
export function benchCliStartup(runs: number): CliStartupResult {
  wallMs([BIN, '--version']); // builds the CLI cache if the sources changed: paid once
  const node: number[] = [];
  const version: number[] = [];
  const validate: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(wallMs(['-e', '0']));
    version.push(wallMs([BIN, '--version']));
    validate.push(wallMs([BIN, 'validate', SMALL_FLOW]));
  }
  const nodeMs = median(node);
  return {
    runs,
    nodeMs: round(nodeMs, 1),
    versionMs: round(median(version), 1),
    validateMs: round(median(validate), 1),
    versionRatio: round(median(version) / nodeMs),
    validateRatio: round(median(validate) / nodeMs),
  };
}
