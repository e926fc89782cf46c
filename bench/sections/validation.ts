import { createHash } from 'node:crypto';
import { compileFlow, hasErrors, parseFlowText, validateFlow } from '../../interpreter/dsl';
import type { ActivityManifest } from '../../interpreter/model';
import { largeFlowText } from '../flows';
import { median, round } from '../stats';

/** What Weft's Node callers (loadFlowFile, the API) hand the compiler for the content hash. */
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

export type FlowFormat = 'yaml' | 'json';

export interface ValidationResult {
  steps: number;
  format: FlowFormat;
  bytes: number;
  runs: number;
  /** Medians, ms: parse; validate (schema + rules); compile (validate included); total = parse + compile. */
  parseMs: number;
  validateMs: number;
  compileMs: number;
  totalMs: number;
}

/** Parse, validate and compile a generated flow of `steps` steps, `runs` times; medians. */
export function benchValidation(
  steps: number,
  runs: number,
  manifest: ActivityManifest,
  format: FlowFormat = 'yaml',
): ValidationResult {
  const yaml = largeFlowText(steps);
  const text = format === 'yaml' ? yaml : JSON.stringify(parseFlowText(yaml).value, null, 2);
  const file = `bench-${steps}.flow.${format}`;
  const parse: number[] = [];
  const validate: number[] = [];
  const compile: number[] = [];
  const total: number[] = [];
  // One untimed pass: schema compilation and JIT warm-up are paid once per process, not per flow.
  compileFlow(parseFlowText(text, file), { manifest, sha256 });
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const parsed = parseFlowText(text, file);
    const t1 = performance.now();
    const result = compileFlow(parsed, { manifest, sha256 });
    const t2 = performance.now();
    if (!result.compiled || hasErrors(result.diagnostics)) {
      throw new Error(`validation bench: the ${steps}-step flow does not compile`);
    }
    const t3 = performance.now();
    validateFlow(parsed, { manifest });
    const t4 = performance.now();
    parse.push(t1 - t0);
    compile.push(t2 - t1);
    validate.push(t4 - t3);
    total.push(t2 - t0);
  }
  return {
    steps,
    format,
    bytes: Buffer.byteLength(text),
    runs,
    parseMs: round(median(parse), 1),
    validateMs: round(median(validate), 1),
    compileMs: round(median(compile), 1),
    totalMs: round(median(total), 1),
  };
}
