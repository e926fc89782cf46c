/**
 * Completion in the YAML pane from the flow's JSON Schema and the activity manifest: keys at
 * the top level and on steps (with their schema descriptions), and activity names after
 * `activity:`. Deliberately shallow: it reads the line, not the document.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { flowSchema } from '../../../interpreter/dsl';
import { useDesigner } from '../store';
import { resolve, type Schema } from './schema-form';

const ROOT = flowSchema as Schema;

function keysOf(schema: Schema): Completion[] {
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  return Object.entries(props).map(([key, s]) => {
    const info = resolve(ROOT, s).description;
    const c: Completion = { label: key, type: 'property', apply: `${key}: ` };
    if (info !== undefined) c.info = info;
    return c;
  });
}

const TOP_KEYS = keysOf(ROOT);
const STEP_KEYS = (() => {
  const defs = (ROOT.$defs ?? {}) as Record<string, Schema>;
  const seen = new Map<string, Completion>();
  for (const [name, def] of Object.entries(defs)) {
    if (!name.endsWith('Step')) continue;
    for (const c of keysOf(def)) if (!seen.has(c.label)) seen.set(c.label, c);
  }
  return [...seen.values()];
})();

export function completeFlow(ctx: CompletionContext): CompletionResult | null {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const before = line.text.slice(0, ctx.pos - line.from);
  const activity = /activity:\s*["']?([\w.-]*)$/.exec(before);
  if (activity) {
    const typed = activity[1] ?? '';
    const options = (useDesigner.getState().manifest?.activities ?? []).map((a) => {
      const c: Completion = { label: a.name, type: 'function' };
      if (a.description !== undefined) c.info = a.description;
      return c;
    });
    return { from: ctx.pos - typed.length, options, validFor: /^[\w.-]*$/ };
  }
  const key = /^(\s*)(- )?([A-Za-z]*)$/.exec(before);
  if (!key) return null;
  const word = key[3] ?? '';
  if (word === '' && !ctx.explicit) return null;
  const top = (key[1] ?? '').length === 0 && key[2] === undefined;
  return {
    from: ctx.pos - word.length,
    options: top ? TOP_KEYS : STEP_KEYS,
    validFor: /^[A-Za-z]*$/,
  };
}

export const flowCompletion = EditorState.languageData.of(() => [{ autocomplete: completeFlow }]);
