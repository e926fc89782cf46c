import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import jsonata from 'jsonata';
import testSchema from '../../schema/flow-test.schema.json';
import { type Diagnostic, type DiagnosticCode, parseDuration, parseFlowText } from '../dsl';
import { loadActivitiesFile, loadFlowFile } from '../dsl/node';
import type { SourceMap } from '../dsl/source-map';
import {
  type ActivityManifest,
  type CompiledFlow,
  PROGRESS_QUERY,
  toPointer,
  walkFlowTreeSteps,
} from '../model';
import { describeRegexProblem, unsafeRegexIn } from '../model/regex-safety';
import type { Mocks, TestFileSpec } from './spec';

/** A test file read and checked against its schema; the flow is not loaded yet. */
export interface ParsedTestFile {
  file: string;
  spec?: TestFileSpec;
  sourceMap: SourceMap;
  diagnostics: Diagnostic[];
  /** The flow file under test (absolute). */
  flowFile: string;
  /** `plugins:` resolved against the test file's folder. */
  plugins: string[];
}

/** A test file ready to run: its spec, its compiled flow and where each case sits. */
export interface LoadedTestFile extends ParsedTestFile {
  spec: TestFileSpec;
  flow: CompiledFlow;
  /** 1-based position of each case, for failure lines. */
  casePositions: { line: number; col: number }[];
}

let validator: ValidateFunction | undefined;
function validateSchema(value: unknown): ErrorObject[] {
  validator ??= new Ajv2020({ allErrors: true, strictRequired: false, strictTypes: false }).compile(
    testSchema,
  );
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

function diagnostic(
  code: DiagnosticCode,
  message: string,
  pointer: string,
  sourceMap: SourceMap,
  file: string,
  at: 'key' | 'value' = 'value',
): Diagnostic {
  const { line, col } = sourceMap.has(pointer)
    ? sourceMap.position(pointer, at)
    : sourceMap.position(pointer);
  return { code, severity: 'error', message, pointer, line, col, file };
}

/** ajv's errors in the words a test author needs; one per place, the most specific first. */
function schemaMessage(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the test file' : e.instancePath.slice(1);
  switch (e.keyword) {
    case 'additionalProperties':
      return `${where}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `${where}: missing "${(e.params as { missingProperty: string }).missingProperty}"`;
    case 'not':
      return `${where}: a mock gives one of result, error or attempts, not two of them`;
    case 'oneOf':
      return `${where}: an event is exactly one of signal, update, query or cancel`;
    case 'enum':
      return `${where}: must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
    default:
      return `${where}: ${e.message ?? 'is not valid'}`;
  }
}

function schemaDiagnostics(errors: ErrorObject[], sourceMap: SourceMap, file: string) {
  // anyOf/oneOf report each failed branch as well: keep one error per place, preferring the
  // summary ones (oneOf, not) and unknown keys over type noise inside alternatives.
  const byPlace = new Map<string, ErrorObject>();
  const rank = (e: ErrorObject) =>
    ({ additionalProperties: 0, required: 1, not: 2, oneOf: 3, enum: 4 })[e.keyword] ?? 5;
  for (const e of errors) {
    const key =
      e.keyword === 'additionalProperties'
        ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`
        : e.instancePath;
    const had = byPlace.get(key);
    if (!had || rank(e) < rank(had)) byPlace.set(key, e);
  }
  return [...byPlace.entries()].map(([place, e]) =>
    diagnostic(
      'WEFT091',
      schemaMessage(e),
      place,
      sourceMap,
      file,
      e.keyword === 'additionalProperties' ? 'key' : 'value',
    ),
  );
}

/** `order.test.yaml` tests `order.flow.yaml` (also `.test.yml`, `.test.json`). */
export function defaultFlowFile(testFile: string): string {
  const name = basename(testFile).replace(/\.test\.(ya?ml|json)$/i, '.flow.$1');
  return resolve(dirname(testFile), name);
}

/** Reads a test file and checks it against schema/flow-test.schema.json. */
export function readTestFile(file: string): ParsedTestFile {
  let text: string;
  const fallback = { file, flowFile: defaultFlowFile(file), plugins: [] };
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const parsed = parseFlowText('', file);
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
    return {
      ...fallback,
      sourceMap: parsed.sourceMap,
      diagnostics: [
        diagnostic('WEFT091', `cannot read the test file: ${reason}`, '', parsed.sourceMap, file),
      ],
    };
  }
  return parseTestText(text, file);
}

/**
 * A test file's text, said to live at `file` (its `flow:` and `plugins:` resolve beside it),
 * checked against schema/flow-test.schema.json: what `weft mcp` tests when given the text.
 */
export function parseTestText(text: string, file: string): ParsedTestFile {
  const fallback = { file, flowFile: defaultFlowFile(file), plugins: [] };
  const parsed = parseFlowText(text, file);
  const diagnostics: Diagnostic[] = parsed.diagnostics.map((d) => ({ ...d, file }));
  if (parsed.value === undefined || diagnostics.some((d) => d.severity === 'error')) {
    return { ...fallback, sourceMap: parsed.sourceMap, diagnostics };
  }
  diagnostics.push(...schemaDiagnostics(validateSchema(parsed.value), parsed.sourceMap, file));
  const spec = diagnostics.length === 0 ? (parsed.value as TestFileSpec) : undefined;
  const dir = dirname(file);
  return {
    file,
    sourceMap: parsed.sourceMap,
    diagnostics,
    flowFile: spec?.flow ? resolve(dir, spec.flow) : fallback.flowFile,
    plugins: (spec?.plugins ?? []).map((p) => resolve(dir, p)),
    ...(spec ? { spec } : {}),
  };
}

/** The step ids and activity names a mock may name: every activity the flow can call. */
function mockTargets(flow: CompiledFlow): { stepIds: Set<string>; activities: Set<string> } {
  const stepIds = new Set<string>();
  const activities = new Set<string>();
  walkFlowTreeSteps(flow, (step) => {
    if (step.kind !== 'activity') return;
    stepIds.add(step.id);
    activities.add(step.activity);
    if (step.compensate) {
      stepIds.add(`${step.id}:compensate`);
      activities.add(step.compensate.activity);
    }
  });
  return { stepIds, activities };
}

function isExpression(value: unknown): value is string {
  return typeof value === 'string' && /^\s*\$\{[\s\S]*\}\s*$/.test(value);
}

export function expressionBody(value: string): string {
  return value.trim().slice(2, -1);
}

/** Every `${ … }` string under `value`, with its pointer segments. */
function* expressions(
  value: unknown,
  at: (string | number)[],
): Generator<[string, (string | number)[]]> {
  if (isExpression(value)) yield [value, at];
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* expressions(value[i], [...at, i]);
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) yield* expressions(v, [...at, k]);
  }
}

/**
 * The manifest plus every name the file mocks: an activity that no loaded plugin provides is
 * fine in a test that mocks it by name (its plugin may live in another repository).
 */
function withMockedNames(
  manifest: ActivityManifest,
  spec: TestFileSpec,
  flowFile: string,
): ActivityManifest {
  // An external activity (declared beside the flow) is known already; as a plugin name too it
  // would clash with its declaration (WEFT074).
  const declared = loadActivitiesFile(dirname(flowFile)).activities;
  const known = new Set([...manifest.activities, ...declared].map((a) => a.name));
  const mocked = [spec.mocks, ...spec.cases.map((c) => c.mocks)].flatMap((m) =>
    Object.keys(m ?? {}),
  );
  const extra = [...new Set(mocked)].filter((name) => !known.has(name)).map((name) => ({ name }));
  return { activities: [...manifest.activities, ...extra] };
}

/**
 * Loads the flow under test with the manifest and checks the test file against it: mocks name
 * activities or steps it uses, events name its messages, expressions compile, case names are
 * unique. Returns the diagnostics, and the loaded file when there are none.
 */
export function checkTestFile(
  parsed: ParsedTestFile,
  manifest: ActivityManifest | undefined,
): { loaded?: LoadedTestFile; diagnostics: Diagnostic[] } {
  const { spec, sourceMap, file } = parsed;
  if (!spec) return { diagnostics: parsed.diagnostics };
  const at = (code: DiagnosticCode, message: string, segments: (string | number)[], key = false) =>
    diagnostic(code, message, toPointer(segments), sourceMap, file, key ? 'key' : 'value');

  const loadedFlow = loadFlowFile(
    parsed.flowFile,
    manifest ? { manifest: withMockedNames(manifest, spec, parsed.flowFile) } : {},
  );
  const diagnostics: Diagnostic[] = [];
  if (!loadedFlow.compiled) {
    const reason = loadedFlow.diagnostics[0]?.code === 'WEFT050' ? 'cannot be read' : 'is invalid';
    diagnostics.push(
      at('WEFT093', `the flow under test ${parsed.flowFile} ${reason}`, spec.flow ? ['flow'] : []),
      ...loadedFlow.diagnostics.map((d) => ({ ...d, file: d.file ?? parsed.flowFile })),
    );
    return { diagnostics };
  }
  const flow = loadedFlow.compiled;
  const targets = mockTargets(flow);
  const checkMocks = (mocks: Mocks | undefined, segments: (string | number)[]) => {
    for (const [key, mock] of Object.entries(mocks ?? {})) {
      // `charge#2` mocks one iteration of the step `charge`.
      const stepKey = key.replace(/#[0-9.]+/g, '');
      if (!targets.stepIds.has(stepKey) && !targets.activities.has(key)) {
        const known = [...targets.stepIds, ...targets.activities].sort();
        diagnostics.push(
          at(
            'WEFT090',
            `mock "${key}": flow ${flow.flow} has no activity step with this id and calls no activity of this name (${known.length > 0 ? `it uses ${known.join(', ')}` : 'it calls no activities'})`,
            [...segments, key],
            true,
          ),
        );
      }
      for (const [expression, where] of expressions(mock, [...segments, key])) {
        checkExpression(expression, where);
      }
    }
  };
  const checkExpression = (expression: string, segments: (string | number)[]) => {
    try {
      // `weft test` and `weft mcp` evaluate these in their own process, with no budget at all.
      const unsafe = unsafeRegexIn(jsonata(expressionBody(expression)).ast());
      if (unsafe) {
        const { message, hint } = describeRegexProblem(unsafe.pattern, unsafe.problem);
        diagnostics.push({ ...at('WEFT100', message, segments), hint });
      }
    } catch (err) {
      diagnostics.push(
        at('WEFT094', `expression does not compile: ${(err as Error).message}`, segments),
      );
    }
  };
  checkMocks(spec.mocks, ['mocks']);
  const names = new Map<string, number>();
  const queries = new Set([...Object.keys(flow.queries), PROGRESS_QUERY]);
  spec.cases.forEach((c, i) => {
    const first = names.get(c.name);
    if (first !== undefined) {
      diagnostics.push(
        at('WEFT095', `case "${c.name}" is also case ${first + 1}`, ['cases', i, 'name']),
      );
    } else names.set(c.name, i);
    checkMocks(c.mocks, ['cases', i, 'mocks']);
    c.events?.forEach((e, j) => {
      const where = ['cases', i, 'events', j];
      const declared = (kind: string, name: string, has: boolean, list: string[]) => {
        if (has) return;
        diagnostics.push(
          at(
            'WEFT092',
            `${kind} "${name}": flow ${flow.flow} declares no such ${kind} (${list.length > 0 ? `it has ${list.join(', ')}` : `it has no ${kind}s`})`,
            [...where, kind],
          ),
        );
      };
      if (e.signal !== undefined)
        declared('signal', e.signal, e.signal in flow.signals, Object.keys(flow.signals));
      if (e.update !== undefined)
        declared('update', e.update, e.update in flow.updates, Object.keys(flow.updates));
      if (e.query !== undefined) declared('query', e.query, queries.has(e.query), [...queries]);
      if (e.expect !== undefined) {
        for (const [expression, w] of expressions(e.expect, [...where, 'expect'])) {
          checkExpression(expression, w);
        }
      }
      if (e.at !== undefined && parseDuration(e.at) === undefined) {
        diagnostics.push(at('WEFT091', `"${e.at}" is not a duration`, [...where, 'at']));
      }
    });
    for (const [expression, w] of expressions(c.expect ?? {}, ['cases', i, 'expect'])) {
      checkExpression(expression, w);
    }
  });
  if (diagnostics.length > 0) return { diagnostics };
  return {
    diagnostics: loadedFlow.diagnostics.filter((d) => d.severity !== 'error'),
    loaded: {
      ...parsed,
      spec,
      flow,
      casePositions: spec.cases.map((_, i) => sourceMap.position(toPointer(['cases', i]))),
    },
  };
}
