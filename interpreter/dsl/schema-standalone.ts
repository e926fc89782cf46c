import Ajv2020, { _ } from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import addFormats from 'ajv-formats';
import { STEP_KINDS } from '../model';
import { META_AJV_OPTIONS, META_ID } from './meta-schema';
import { SHALLOW_ID, SHAPE_AJV_OPTIONS, shallowSchema, stepRef } from './schema-shape';

/**
 * The source of an ES module that stands in for ./schema-compile: the same `shapeValidators()`,
 * with the validators ajv would compile at run time generated ahead of time (ajv's standalone
 * code, same options). The compiled CLI is built with it (bin/cli-build.mjs).
 */
export function shapeValidatorsModule(): string {
  const shallow = shallowSchema();
  const ajv = new Ajv2020({ ...SHAPE_AJV_OPTIONS, code: { source: true, esm: true } });
  ajv.addSchema(shallow);
  const exportName = (kind: string) => `step_${kind}`;
  const refs: Record<string, string> = { document: SHALLOW_ID };
  for (const kind of STEP_KINDS) refs[exportName(kind)] = stepRef(kind);
  const code = sharedSchemaObjects(importRuntime(standaloneCode(ajv, refs)));
  const steps = STEP_KINDS.map((k) => `${JSON.stringify(k)}: ${exportName(k)}`).join(', ');
  return `${code}
const STEPS = { ${steps} };
export function shapeValidators() {
  return { shallow: ${ROOT_NAME}, document, step: (kind) => STEPS[kind] };
}
`;
}

/**
 * The source of an ES module that stands in for ./meta-schema-compile: `defaultMetaValidator()`
 * generated ahead of time, with the formats ajv-formats adds, as the compiled CLI is built.
 */
export function metaValidatorModule(): string {
  const ajv = new Ajv2020({
    ...META_AJV_OPTIONS,
    code: { source: true, esm: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
  });
  addFormats(ajv);
  const code = importRuntime(standaloneCode(ajv, { meta: META_ID }));
  return `${code}
export function defaultMetaValidator() {
  return meta;
}
`;
}

/** ajv's standalone code requires its run-time helpers; an ES module imports them. */
function importRuntime(code: string): string {
  const imports: string[] = [];
  const names = new Map<string, string>();
  const body = code.replace(/require\("([^"]+)"\)/g, (_, spec: string) => {
    let name = names.get(spec);
    if (!name) {
      name = `__runtime${names.size}`;
      names.set(spec, name);
      const file = spec.endsWith('.js') ? spec : `${spec}.js`;
      imports.push(`import ${name} from ${JSON.stringify(file)};`);
    }
    return name;
  });
  return `${imports.join('\n')}\n${body.replace(/^"use strict";/, '')}`;
}

const ROOT_NAME = '__shallowSchema';

/** How ajv writes a schema object into standalone code. */
const literal = (value: unknown) =>
  JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** Every object inside `node`, as a JavaScript path from it; the first path wins for equal texts. */
function objectPaths(node: unknown, path: string, out: Map<string, string>): void {
  if (node === null || typeof node !== 'object') return;
  const text = literal(node);
  if (path && !out.has(text)) out.set(text, path);
  for (const [key, child] of Object.entries(node)) {
    const step = Array.isArray(node) ? `[${key}]` : `[${JSON.stringify(key)}]`;
    objectPaths(child, path + step, out);
  }
}

/**
 * ajv writes each schema object it refers to (a definition, say) as a copy of its own, but the
 * error mapper recognises schema nodes by identity (`parentSchema`): every copy becomes a
 * reference into one shallow schema object, declared first, as it is when ajv compiles at run
 * time.
 */
function sharedSchemaObjects(code: string): string {
  const shallow = shallowSchema();
  const byText = new Map<string, string>();
  // Definitions first: the error mapper's nodes live there.
  objectPaths(shallow.$defs, `${ROOT_NAME}.$defs`, byText);
  objectPaths(shallow, ROOT_NAME, byText);
  const rootText = literal(shallow);
  let out = '';
  let at = 0;
  let rootDeclared = false;
  for (const m of code.matchAll(/const (schema\d+) = /g)) {
    const start = m.index + m[0].length;
    let replacement: string | undefined;
    let length = 0;
    if (code.startsWith(rootText, start)) {
      replacement = `${ROOT_NAME} = ${rootText}, ${m[1]} = ${ROOT_NAME}`;
      length = rootText.length;
      rootDeclared = true;
    } else {
      for (const [text, ref] of byText) {
        if (!code.startsWith(text, start) || code[start + text.length] !== ';') continue;
        if (!rootDeclared) throw new Error(`${m[1]} is declared before the root schema`);
        replacement = `${m[1]} = ${ref}`;
        length = text.length;
        break;
      }
    }
    if (replacement === undefined) throw new Error(`${m[1]} is not a part of the schema`);
    out += `${code.slice(at, m.index)}const ${replacement}`;
    at = start + length;
  }
  if (!rootDeclared) throw new Error('the root schema is not in the generated code');
  return out + code.slice(at);
}
