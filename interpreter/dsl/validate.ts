import {
  type ActivityManifest,
  describeOverLimit,
  escapeSegment,
  PAYLOAD_LIMIT_BYTES,
  PAYLOAD_OVERHEAD_BYTES,
  STEP_KINDS,
  stepKindsOf,
  utf8Bytes,
  walkFlowSteps,
} from '../model';
import { type Diagnostic, sortDiagnostics } from './diagnostics';
import type { ParsedFlow } from './parse';
import { createReporter, type Report } from './report';
import { type FlowBodyRef, RULES, type RuleStep } from './rules';
import { isRecord } from './rules/context';
import { validateDocumentShape, validateStepShape } from './schema';
import { reportSchemaErrors } from './schema-errors';
import { closest } from './suggest';

export interface ValidateOptions {
  /** The activity manifest: with it, activity names and literal inputs are checked. */
  manifest?: ActivityManifest;
  /** Set on every diagnostic (`file`) when given. */
  file?: string;
}

const COMMON_KEYS = new Set(['id', 'name', 'when', 'result']);

/**
 * Steps per document. Checking is linear, and each step compiles to at least about 40 bytes of
 * workflow input, so a document this large cannot start under the 2 MB payload limit anyway: it
 * is refused at once, before its steps are checked.
 */
export const MAX_STEPS = 50_000;

function flowBodies(doc: Record<string, unknown>): FlowBodyRef[] {
  const out: FlowBodyRef[] = [{ key: '', body: doc, pointer: '' }];
  if (isRecord(doc.flows)) {
    for (const [key, body] of Object.entries(doc.flows)) {
      if (isRecord(body)) out.push({ key, body, pointer: `/flows/${escapeSegment(key)}` });
    }
  }
  return out;
}

/** Checks that a step has exactly one kind, then its shape against that kind's definition. */
function checkStep(step: RuleStep, report: Report): void {
  const kinds = stepKindsOf(step.value);
  if (kinds.length === 0) {
    const unknown = Object.keys(step.value).filter((k) => !COMMON_KEYS.has(k));
    for (const key of unknown) {
      const guess = closest(key, STEP_KINDS);
      if (guess) {
        report(
          'WEFT014',
          `${step.pointer}/${escapeSegment(key)}`,
          `unknown step kind "${key}". Did you mean "${guess}"?`,
          {
            at: 'key',
          },
        );
        return;
      }
    }
    report(
      'WEFT014',
      step.pointer,
      unknown.length > 0
        ? `this step has no kind; "${unknown[0]}" is not a step kind`
        : 'this step has no kind: add one of the step kinds',
      { hint: `step kinds: ${STEP_KINDS.join(', ')}`, at: unknown.length > 0 ? 'key' : 'value' },
    );
    return;
  }
  if (kinds.length > 1) {
    report(
      'WEFT015',
      `${step.pointer}/${kinds[1]}`,
      `a step has exactly one kind, but this one has ${kinds.map((k) => `"${k}"`).join(' and ')}: split it into ${kinds.length} steps`,
      { at: 'key' },
    );
    return;
  }
  const errors = validateStepShape(kinds[0]!, step.value);
  if (errors.length > 0) reportSchemaErrors(errors, step.pointer, report);
}

/**
 * Validates a parsed flow: the schema (document shape, then each step against its kind), then
 * every semantic rule. Returns diagnostics sorted by position; never throws.
 */
export function validateFlow(parsed: ParsedFlow, options: ValidateOptions = {}): Diagnostic[] {
  const file = options.file ?? parsed.file;
  const cached = lastResults.get(parsed);
  if (cached && cached.manifest === options.manifest && cached.file === file) {
    return [...cached.diagnostics];
  }
  const diagnostics = validateUncached(parsed, options.manifest, file);
  lastResults.set(parsed, { manifest: options.manifest, file, diagnostics });
  return [...diagnostics];
}

// The last result per parsed document, so parse -> validate -> compile validates once. Parsed
// documents are never mutated after parsing, so the result stays right for the same options.
const lastResults = new WeakMap<
  ParsedFlow,
  { manifest: ActivityManifest | undefined; file: string | undefined; diagnostics: Diagnostic[] }
>();

function validateUncached(
  parsed: ParsedFlow,
  manifest: ActivityManifest | undefined,
  file: string | undefined,
): Diagnostic[] {
  if (parsed.diagnostics.length > 0 || !isRecord(parsed.value)) {
    return file === undefined
      ? [...parsed.diagnostics]
      : parsed.diagnostics.map((d) => ({ ...d, file: d.file ?? file }));
  }
  const doc = parsed.value;
  const out: Diagnostic[] = [];
  const report = createReporter(parsed.sourceMap, out, file);

  if (!validateDocumentShape(doc)) {
    reportSchemaErrors(validateDocumentShape.errors ?? [], '', report);
  }

  const flows = flowBodies(doc);
  const steps: RuleStep[] = [];
  for (const flow of flows) {
    walkFlowSteps(
      flow.body,
      (v) => {
        if (!isRecord(v.step)) return; // the document shape check already reported it
        const s = v as RuleStep; // the visit object is fresh per step: extend it in place
        s.flow = flow;
        s.value = v.step;
        steps.push(s);
      },
      flow.pointer === '' ? [] : ['flows', flow.key],
    );
  }
  // Counted before any step is checked: checking is what takes time on a huge document.
  if (tooManySteps(steps, report)) return sortDiagnostics(out);
  for (const s of steps) checkStep(s, report);

  const ctx = {
    doc,
    flows,
    steps,
    report,
    lineOf: (pointer: string) => parsed.sourceMap.position(pointer).line,
    ...(manifest ? { manifest } : {}),
  };
  for (const rule of RULES) {
    try {
      rule.check(ctx);
    } catch (err) {
      // A rule bug must not hide the flow's real problems; report it where users will see it.
      report('WEFT001', '', `internal error in rule ${rule.name}: ${String(err)}`);
    }
  }
  return sortDiagnostics(out);
}

/** Refuses a document with more than MAX_STEPS steps, at the first step past the limit. */
function tooManySteps(steps: RuleStep[], report: Report): boolean {
  const beyond = steps[MAX_STEPS];
  if (beyond === undefined) return false;
  report(
    'WEFT062',
    beyond.pointer,
    `the document has ${steps.length.toLocaleString('en-US')} steps; flows are limited to ${MAX_STEPS.toLocaleString('en-US')} (this is step ${(MAX_STEPS + 1).toLocaleString('en-US')})`,
    { hint: 'repeat steps with forEach or while instead of writing them out' },
  );
  return true;
}

/**
 * Without compiling (which needs child flow files): the compiled flow holds every step of the
 * document and more (ids, kinds, merged options), so a document whose own JSON is over the
 * payload limit cannot start. Characters never outnumber UTF-8 bytes, so the JSON's length is
 * enough to decide; bytes are counted only for the message. compileFlow checks the exact size,
 * so only callers that do not compile (checkFlowText: the designer, the API's save) ask this.
 */
export function tooLargeToStart(parsed: ParsedFlow, file?: string): Diagnostic | undefined {
  const text = JSON.stringify(parsed.value);
  if (text === undefined || text.length + PAYLOAD_OVERHEAD_BYTES <= PAYLOAD_LIMIT_BYTES) {
    return undefined;
  }
  const out: Diagnostic[] = [];
  createReporter(parsed.sourceMap, out, file)(
    'WEFT061',
    '/flow',
    `the flow is ${describeOverLimit(utf8Bytes(text) + PAYLOAD_OVERHEAD_BYTES, PAYLOAD_LIMIT_BYTES)} as JSON before it is even compiled: it travels in the workflow input (child flows embedded, plus the run input), so the flow cannot start`,
    {
      at: 'key',
      hint: 'make it smaller: move large literal data out of the flow (let an activity load it), and repeated steps into a loop',
    },
  );
  return out[0];
}
