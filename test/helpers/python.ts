import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cacheDir } from '../../interpreter/temporal/cache';

/** The temporalio version the polyglot example pins (examples/polyglot/requirements.txt). */
export const TEMPORALIO_VERSION = '1.35.0';

/** Where .ci/run keeps the Python worker's virtual environment (outside the repo, reused). */
export function pythonVenv(): string {
  return cacheDir('python', `temporalio-${TEMPORALIO_VERSION}`);
}

/**
 * A Python interpreter that can import `temporalio`: WEFT_PYTHON, else the cached venv that
 * .ci/run creates. `missing` says why there is none and how to get one, for a skip message.
 */
export function findPythonWorkerSdk(): { python: string } | { missing: string } {
  const candidates = [process.env.WEFT_PYTHON, `${pythonVenv()}/bin/python`].filter(
    (p): p is string => p !== undefined && p !== '',
  );
  const tried: string[] = [];
  for (const python of candidates) {
    if (!existsSync(python)) {
      tried.push(`${python}: not found`);
      continue;
    }
    try {
      execFileSync(python, ['-c', 'import temporalio'], { stdio: 'pipe', timeout: 30_000 });
      return { python };
    } catch (err) {
      const stderr = String((err as { stderr?: Buffer }).stderr ?? '')
        .trim()
        .split('\n')
        .at(-1);
      tried.push(`${python}: ${stderr || (err as Error).message}`);
    }
  }
  return {
    missing: `no Python with the temporalio package (${tried.join('; ')}). Install it with: python3 -m venv ${pythonVenv()} && ${pythonVenv()}/bin/pip install -r examples/polyglot/requirements.txt (.ci/run does this), or set WEFT_PYTHON`,
  };
}
