/**
 * Diagnostics are data, never exceptions: every problem the parser, the schema check, a rule or
 * the compiler finds is one of these, with a stable code from CATALOG.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** What is wrong and how to fix it, in one sentence or two. */
  message: string;
  /** JSON pointer of the offending value ('' for the document). */
  pointer: string;
  /** 1-based line and column in the source text. */
  line: number;
  col: number;
  /** Extra help: the allowed values, an example. */
  hint?: string;
  /** The file the diagnostic is in, when it is not the file being checked (a child flow file). */
  file?: string;
}

/** One line of documentation per code. Codes are stable: never renumber, only add. */
export const CATALOG = {
  WEFT001: 'YAML or JSON syntax error.',
  WEFT002: 'The document is larger than the 5 MB limit.',
  WEFT003: 'Too many YAML aliases: the document would expand too far (an alias bomb).',
  WEFT004: 'A key appears twice in the same mapping.',
  WEFT005: 'The document is empty, or its root is not a mapping.',
  WEFT010: 'Unknown key: not part of the DSL at this place (often a typo).',
  WEFT011: 'A required key is missing.',
  WEFT012: 'A value has the wrong type.',
  WEFT013: 'A value is not allowed here (pattern, range or choice).',
  WEFT014:
    'A step has no step kind (activity, if, switch, parallel, forEach, while, sleep, wait, set, try, flow, log, fail or return).',
  WEFT015: 'A step has more than one step kind.',
  WEFT020: 'A duration does not parse: use 500ms, 30s, 5m, 2h, 7d or a number of milliseconds.',
  WEFT021: 'A retry value is out of range.',
  WEFT022: 'Two steps of one flow have the same id.',
  WEFT023: 'An activity name is not in the activity manifest (no loaded plugin provides it).',
  WEFT024: "A literal activity input does not match the plugin's input schema.",
  WEFT025: '`wait.signal` names a signal the flow does not declare under `signals:`.',
  WEFT026: 'A `flow:` step names a child flow that is not defined under `flows:`.',
  WEFT027: 'A `flow:` step names a child flow file that is missing or cannot be read.',
  WEFT028: 'A child flow file is invalid (its own diagnostics follow).',
  WEFT030: 'An expression does not compile (JSONata syntax error or an unclosed `${`).',
  WEFT031:
    'An expression uses a function that flows may not use ($eval, $random, $shuffle, $now, $millis).',
  WEFT032: `A value must be an expression written as \`\${ … }\`.`,
  WEFT033: 'A JSON Schema in the flow (input, signal or update payload) does not compile.',
  WEFT040: 'A step can never run: it follows a `return` or `fail` in the same list.',
  WEFT041:
    'A `set` inside a `while` loop appends to the var it assigns: vars grow every iteration toward the 2 MB payload limit.',
  WEFT050: 'The flow file cannot be read.',
  WEFT051:
    "The flow file is not valid UTF-8: the diagnostic's line and column point at the first invalid byte (never replaced by U+FFFD).",
  WEFT060: 'The document nests deeper than 200 levels (collections inside collections).',
  WEFT061:
    'The compiled flow is larger than the 2 MB the server accepts as workflow input (with the run input).',
  WEFT062: 'The document has more than 50,000 steps.',
  WEFT063:
    'A signal or update payload schema uses a JSON Schema keyword the run cannot enforce (format, $ref, …).',
  WEFT070:
    'The activities file (weft.activities.yaml) does not match its schema (schema/activities.schema.json).',
  WEFT071: 'An external activity declares no input schema (`input:`; `{}` accepts anything).',
  WEFT072:
    'An external activity has no task queue: set `taskQueue` on it or at the top of the file.',
  WEFT073:
    "An external activity's input or output schema does not compile, or its `args` name a member its input schema does not declare.",
  WEFT074:
    'An external activity has the name of a loaded plugin activity, or of one declared by the activities file at the root of the flows folder (for a subfolder file, in the API).',
  WEFT080:
    'A Serverless Workflow (OWS) construct that Weft cannot express (it is refused, never dropped).',
  WEFT081: 'A jq expression in an OWS document is outside the subset Weft translates to JSONata.',
  WEFT082: 'An OWS `then` names no task of the same task list (nor continue, exit or end).',
  WEFT083:
    'An OWS `call: openapi` document cannot be read, or has no operation with that operationId.',
  WEFT084:
    'An OWS document is malformed: a missing or misplaced key, or a value of the wrong shape.',
  WEFT085:
    'A Weft construct that a Serverless Workflow (OWS) document cannot express (`weft export --to ows` refuses it).',
  WEFT086: 'A JSONata expression outside the subset `weft export --to ows` translates to jq.',
  WEFT090:
    'A test file mocks an activity or step id that the flow under test does not use (`weft test`).',
  WEFT091: 'A test file does not match schema/flow-test.schema.json.',
  WEFT092:
    'A test event names a signal, update or query that the flow under test does not declare.',
  WEFT093:
    'The flow a test file tests cannot be read or does not validate (its own diagnostics follow).',
  WEFT094: 'An expression in a test file (an expectation or a mocked result) does not compile.',
  WEFT095: 'Two cases of one test file have the same name.',
  WEFT096:
    'A schedule cron expression does not parse (Temporal syntax: 5, 6 or 7 fields, or @daily-style names).',
  WEFT097: 'Two schedules of one flow have the same id.',
  WEFT098:
    'A schedule never runs or cannot run: no `cron` nor `every`, an `offset` without `every`, or `every` under 1s.',
  WEFT099: 'A schedule `timezone` is not an IANA time zone name.',
  WEFT100:
    'A regex literal in an expression can backtrack catastrophically (a nested quantifier, a quantified group whose alternatives overlap) or is over 1,000 characters.',
} as const;

export type DiagnosticCode = keyof typeof CATALOG;

/** `file:line:col  error  WEFTnnn  message`, as tsc and eslint print. */
export function formatDiagnostic(d: Diagnostic, file?: string): string {
  const where = d.file ?? file ?? '<input>';
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${where}:${d.line}:${d.col}  ${d.severity}  ${d.code}  ${d.message}${hint}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorted by position, then code, so output is stable whatever order rules ran in. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      a.line - b.line ||
      a.col - b.col ||
      a.code.localeCompare(b.code),
  );
}
