// One fresh process's validation of one flow file, as `weft validate` does it: built by
// bench/sections/validation-cli.ts with the CLI's own build (bundled packages, validators
// generated ahead of time), run once per measure. Prints one JSON line.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { compileFlow, hasErrors, parseFlowText } from '../../interpreter/dsl';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const [file = '', reader = 'shipped', warmRuns = '0'] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
// 'yaml': the yaml package alone, without the fast reader for the common subset.
const options = reader === 'yaml' ? { fastYaml: false } : {};

function once(): { parseMs: number; totalMs: number } {
  const t0 = performance.now();
  const parsed = parseFlowText(text, file, options);
  const t1 = performance.now();
  const result = compileFlow(parsed, { file, sha256 });
  const t2 = performance.now();
  if (!result.compiled || hasErrors(result.diagnostics))
    throw new Error(`${file} does not compile`);
  return { parseMs: t1 - t0, totalMs: t2 - t0 };
}

// CPU time as well as wall time: on a shared machine it says more about what an idle one would
// take (it still counts the collector's helper threads).
const cpu0 = process.cpuUsage();
const first = once();
const cpu = process.cpuUsage(cpu0);
const warm: number[] = [];
for (let i = 0; i < Number(warmRuns); i++) warm.push(once().totalMs);
console.log(JSON.stringify({ ...first, cpuMs: (cpu.user + cpu.system) / 1000, warmMs: warm }));
