import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import schemaJson from '../../schema/activities.schema.json';
import type { ActivityManifest, ActivityManifestEntry, ActivityOptionsSpec } from '../model';
import { escapeSegment } from '../model';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostics';
import { parseFlowText } from './parse';
import { createReporter, type Report } from './report';
import { didYouMean } from './suggest';

/**
 * The activities file (`weft.activities.yaml` beside the flows): activities that workers of other
 * Temporal SDKs provide. Read here into manifest entries, so validation, the designer and the
 * compiler treat them exactly like plugin activities; its problems are positioned diagnostics
 * in that file. Browser-safe: the Node reader is in node.ts.
 */

/** The activities file's JSON Schema (draft 2020-12). */
export const activitiesSchema: Record<string, unknown> = schemaJson;

export interface ActivitiesFileResult {
  activities: ActivityManifestEntry[];
  diagnostics: Diagnostic[];
  /** Where each declared activity's name is in the file, for problems found later (WEFT074). */
  positions?: Record<string, { line: number; col: number }>;
  /** Where the task queue that applies to each activity is written (its own or the file's). */
  queuePositions?: Record<string, { line: number; col: number }>;
}

// Once per process, and only when a folder has an activities file: compiling is ajv's expensive
// part, and most runs of `weft validate` never meet one. Declared schemas get their own instance,
// with the settings the validator uses for plugin schemas (rules/activity-input.ts).
// verbose: errors carry their schema node, whose keys feed "did you mean".
let shapeValidator: ValidateFunction | undefined;
function validateShape(value: unknown): ValidateFunction {
  shapeValidator ??= new Ajv2020({
    allErrors: true,
    strict: false,
    logger: false,
    verbose: true,
  }).compile(activitiesSchema);
  shapeValidator(value);
  return shapeValidator;
}
const declared = new Ajv2020({ allErrors: true, strict: false, logger: false });
addFormats(declared);

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const DURATION = 'a duration: 500ms, 30s, 5m, 2h, 7d or a number of milliseconds';

/** The keys the schema allows at the place an unknown key was found, for "did you mean". */
function allowedKeys(e: ErrorObject): string[] {
  const node = e.parentSchema as { properties?: Rec } | undefined;
  return Object.keys(node?.properties ?? {});
}

function shapeErrors(value: unknown, report: Report): void {
  const validated = validateShape(value);
  for (const e of validated.errors ?? []) {
    // The alternatives of an anyOf (durations) and the name check inside propertyNames are
    // reported once, by their parent error below.
    if (e.schemaPath.includes('/anyOf/') || e.propertyName !== undefined) continue;
    const at = e.instancePath;
    const where = at === '' ? 'the file' : at.slice(1).replace(/\//g, '.');
    const params = e.params as Rec;
    if (e.keyword === 'required' && params.missingProperty === 'input' && at !== '') {
      const name = at.split('/').pop() ?? '';
      report(
        'WEFT071',
        at,
        `external activity "${name}" declares no input schema: add \`input:\` with the JSON Schema of its input (\`{}\` accepts anything)`,
        { at: 'key' },
      );
    } else if (e.keyword === 'required') {
      report('WEFT070', at, `${where} needs \`${String(params.missingProperty)}\``);
    } else if (e.keyword === 'additionalProperties') {
      const key = String(params.additionalProperty);
      report(
        'WEFT070',
        `${at}/${escapeSegment(key)}`,
        `unknown key "${key}" in ${where}.${didYouMean(key, allowedKeys(e))}`,
        { at: 'key' },
      );
    } else if (e.keyword === 'propertyNames') {
      const key = String(params.propertyName);
      report(
        'WEFT070',
        `${at}/${escapeSegment(key)}`,
        `"${key}" is not an activity name: use letters, digits, \`_\`, \`.\` and \`-\`, starting with a letter or \`_\``,
        { at: 'key' },
      );
    } else if (e.keyword === 'anyOf') {
      report('WEFT070', at, `${where} must be ${DURATION}`);
    } else {
      report('WEFT070', at, `${where} ${e.message ?? 'is invalid'}`);
    }
  }
}

/** Later layers win per key, as the compiler merges options (activity over file). */
function mergeDefaults(
  file: ActivityOptionsSpec | undefined,
  own: ActivityOptionsSpec | undefined,
): ActivityOptionsSpec | undefined {
  if (!file) return own;
  if (!own) return file;
  const out: ActivityOptionsSpec = {};
  if (file.timeouts || own.timeouts) out.timeouts = { ...file.timeouts, ...own.timeouts };
  if (file.retry || own.retry) out.retry = { ...file.retry, ...own.retry };
  return out;
}

function compiles(schema: unknown): string | undefined {
  if (typeof schema === 'boolean') return undefined;
  try {
    declared.compile(schema as Rec);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function entryOf(
  name: string,
  a: Rec,
  doc: Rec,
  file: string,
  report: Report,
): ActivityManifestEntry | undefined {
  const at = `/activities/${escapeSegment(name)}`;
  const own = typeof a.taskQueue === 'string' ? a.taskQueue : undefined;
  const taskQueue = own ?? (typeof doc.taskQueue === 'string' ? doc.taskQueue : undefined);
  let ok = true;
  if (taskQueue === undefined) {
    report(
      'WEFT072',
      at,
      `external activity "${name}" has no task queue: set \`taskQueue:\` (where its worker polls) on it or at the top of the file`,
      { at: 'key' },
    );
    ok = false;
  }
  for (const key of ['input', 'output'] as const) {
    const problem = a[key] === undefined ? undefined : compiles(a[key]);
    if (problem === undefined || !isRec(a[key])) continue;
    report(
      'WEFT073',
      `${at}/${key}`,
      `the ${key} schema of "${name}" does not compile: ${problem}`,
    );
    ok = false;
  }
  const args = Array.isArray(a.args) ? a.args.map(String) : undefined;
  if (args !== undefined) {
    const props = isRec(a.input) && isRec(a.input.properties) ? a.input.properties : undefined;
    if (!props) {
      report(
        'WEFT073',
        `${at}/args`,
        `"${name}" takes positional \`args\`, but its input schema declares no \`properties\` to take them from`,
      );
      ok = false;
    } else {
      args.forEach((arg, i) => {
        if (arg in props) return;
        report(
          'WEFT073',
          `${at}/args/${i}`,
          `argument "${arg}" of "${name}" is not a property of its input schema.${didYouMean(arg, Object.keys(props))}`,
        );
        ok = false;
      });
    }
  }
  if (!ok || taskQueue === undefined) return undefined;
  const entry: ActivityManifestEntry = {
    name,
    taskQueue,
    input: a.input as ActivityManifestEntry['input'],
    external: args === undefined ? { file } : { file, args },
  };
  if (typeof a.description === 'string') entry.description = a.description;
  if (a.output !== undefined) entry.output = a.output as ActivityManifestEntry['output'];
  const defaults = mergeDefaults(
    doc.defaults as ActivityOptionsSpec | undefined,
    a.defaults as ActivityOptionsSpec | undefined,
  );
  if (defaults) entry.defaults = defaults;
  return entry;
}

/** Parses and checks an activities file's text; `file` names it in entries and diagnostics. */
export function parseActivitiesText(text: string, file: string): ActivitiesFileResult {
  const parsed = parseFlowText(text, file);
  const diagnostics = parsed.diagnostics.map((d) => ({ ...d, file: d.file ?? file }));
  if (hasErrors(diagnostics)) return { activities: [], diagnostics };
  const report = createReporter(parsed.sourceMap, diagnostics, file);
  const doc = parsed.value;
  if (!isRec(doc)) {
    report(
      'WEFT070',
      '',
      'an activities file is a mapping with `activities:` (name -> declaration)',
    );
    return { activities: [], diagnostics };
  }
  shapeErrors(doc, report);
  const activities: ActivityManifestEntry[] = [];
  const positions: Record<string, { line: number; col: number }> = {};
  const queuePositions: Record<string, { line: number; col: number }> = {};
  // Each declaration is checked even when others are broken, so one pass shows every problem.
  const declarations = isRec(doc.activities) ? Object.entries(doc.activities) : [];
  for (const [name, a] of declarations) {
    if (!isRec(a)) continue;
    const entry = entryOf(name, a, doc, file, report);
    if (!entry) continue;
    activities.push(entry);
    const at = `/activities/${escapeSegment(name)}`;
    positions[name] = parsed.sourceMap.position(at, 'key');
    queuePositions[name] = parsed.sourceMap.position(
      a.taskQueue === undefined ? '/taskQueue' : `${at}/taskQueue`,
    );
  }
  // A file with an error declares nothing: its steps would compile as calls to something else.
  if (hasErrors(diagnostics)) return { activities: [], diagnostics: sortDiagnostics(diagnostics) };
  return { activities, diagnostics: sortDiagnostics(diagnostics), positions, queuePositions };
}

/**
 * The manifest a flow is checked and compiled against: the plugins' (when loaded) plus the
 * external activities. Without plugins it is partial: names it lacks may be plugin activities,
 * so only the declared ones are checked. An external name that a plugin already provides is
 * WEFT074 at its key in the activities file, and the plugin keeps the name.
 */
export function withExternalActivities(
  manifest: ActivityManifest | undefined,
  external: ActivitiesFileResult,
): { manifest: ActivityManifest | undefined; diagnostics: Diagnostic[] } {
  if (external.activities.length === 0) return { manifest, diagnostics: [] };
  if (!manifest)
    return { manifest: { activities: external.activities, partial: true }, diagnostics: [] };
  const known = new Map(manifest.activities.map((a) => [a.name, a]));
  const diagnostics: Diagnostic[] = [];
  const added: ActivityManifestEntry[] = [];
  for (const entry of external.activities) {
    const other = known.get(entry.name);
    if (!other) {
      added.push(entry);
      continue;
    }
    const pos = external.positions?.[entry.name] ?? { line: 1, col: 1 };
    // The manifest may hold another activities file's declarations already (the API merges a
    // subfolder's file over the flows folder's own): that one keeps the name, as a plugin would.
    const message = other.external
      ? `external activity "${entry.name}" is declared in ${other.external.file} already: rename one of them (that declaration is used)`
      : `external activity "${entry.name}" has the name of a loaded plugin activity: rename one of them (the plugin's is used)`;
    diagnostics.push({
      code: 'WEFT074',
      severity: 'error',
      message,
      pointer: `/activities/${escapeSegment(entry.name)}`,
      ...pos,
      file: entry.external?.file ?? '',
    });
  }
  const merged: ActivityManifest = { activities: [...manifest.activities, ...added] };
  if (manifest.partial) merged.partial = true;
  return { manifest: merged, diagnostics };
}
