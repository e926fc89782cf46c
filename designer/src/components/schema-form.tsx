/**
 * A small form generator driven by JSON Schema: the inspector renders a step's keys from the
 * flow schema and an activity's input from its plugin's schema. Widgets follow the schema's
 * `$ref` names (duration, expression, timeouts, retryPolicy...) and plain types.
 */
import jsonata from 'jsonata';
import { type KeyboardEvent, useState } from 'react';
import { parseDuration, scanTemplate } from '../../../interpreter/dsl';

export type Schema = Record<string, unknown>;

export interface Resolved {
  schema: Schema;
  /** The last `$defs` name followed, which picks the widget. */
  ref?: string;
  description?: string;
}

export function resolve(root: Schema, s: unknown, description?: string): Resolved {
  let schema = (typeof s === 'object' && s !== null ? s : {}) as Schema;
  let ref: string | undefined;
  let desc = description ?? (schema.description as string | undefined);
  for (let i = 0; i < 8 && typeof schema.$ref === 'string'; i++) {
    const path = (schema.$ref as string).replace(/^#\//, '').split('/');
    ref = path[path.length - 1];
    let target: unknown = root;
    for (const p of path) target = (target as Record<string, unknown> | undefined)?.[p];
    schema = (target ?? {}) as Schema;
    desc ??= schema.description as string | undefined;
  }
  const out: Resolved = { schema };
  if (ref !== undefined) out.ref = ref;
  if (desc !== undefined) out.description = desc;
  return out;
}

/** Checks every `${ … }` in a string: unclosed braces and JSONata syntax. */
export function expressionError(text: string): string | undefined {
  const scan = scanTemplate(text);
  if (scan.unclosed !== undefined) return 'An expression is not closed: add the missing `}`.';
  for (const e of scan.expressions) {
    try {
      jsonata(e.source);
    } catch (err) {
      return `Expression error: ${(err as Error).message}`;
    }
  }
  return undefined;
}

/** A text value as the user means it: '' removes the key, JSON literals keep their type. */
export function parseLoose(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^(-?\d+(\.\d+)?|true|false|null)$/.test(t) || /^[[{"]/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      return text;
    }
  }
  return text;
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export interface FieldProps {
  root: Schema;
  schema: unknown;
  path: (string | number)[];
  label: string;
  value: unknown;
  required?: boolean;
  description?: string;
  onCommit(path: (string | number)[], value: unknown): void;
  /** What applies when the key is absent (flow or plugin defaults), shown as the placeholder. */
  inherited?: (path: (string | number)[]) => string | undefined;
  /**
   * Every field may hold a `${ … }` expression instead of a literal of its type: an activity's
   * input, which the validator checks only where it is literal.
   */
  expressions?: boolean;
}

type Widget = 'duration' | 'expression' | 'number' | 'boolean' | 'enum' | 'text' | 'json' | 'list';

function widgetOf(r: Resolved): Widget {
  const s = r.schema;
  if (r.ref === 'duration') return 'duration';
  if (r.ref === 'expression') return 'expression';
  if (r.ref === 'template') return 'json';
  if (Array.isArray(s.enum)) return 'enum';
  if (s.type === 'number' || s.type === 'integer') return 'number';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'string') return 'text';
  if (s.type === 'array' && (s.items as Schema | undefined)?.type === 'string') return 'list';
  return 'json';
}

/** The same value, written as an expression the user can go on to edit. */
function asTemplate(value: unknown): string {
  return ['$', '{ ', JSON.stringify(value), ' }'].join('');
}

/** A field's text is an expression (or holds one): it is kept as text, whatever the type. */
function isExpressionText(text: string): boolean {
  return text.includes('${');
}

function validate(widget: Widget, text: string, expressions = false): string | undefined {
  if (text.trim() === '') return undefined;
  if (expressions && isExpressionText(text)) return expressionError(text);
  if (widget === 'duration') {
    if (text.includes('${')) return expressionError(text);
    return parseDuration(/^\d+$/.test(text.trim()) ? Number(text) : text.trim()) === undefined
      ? 'Use a duration such as 500ms, 30s, 5m, 2h, 7d, or milliseconds.'
      : undefined;
  }
  if (widget === 'number' && Number.isNaN(Number(text))) return 'Enter a number.';
  if (widget === 'json') {
    const t = text.trim();
    if (/^[[{]/.test(t)) {
      try {
        JSON.parse(t);
      } catch {
        return 'Not valid JSON.';
      }
    }
  }
  return expressionError(text);
}

function toValue(widget: Widget, text: string, expressions = false): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  if (expressions && isExpressionText(text)) return text;
  switch (widget) {
    case 'duration':
      return /^\d+$/.test(t) ? Number(t) : t;
    case 'number':
      return Number(t);
    case 'list':
      return t
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    case 'json':
      return parseLoose(text);
    default:
      return text;
  }
}

function TextWidget({
  widget,
  id,
  label,
  value,
  onCommit,
  invalidHint,
  placeholder,
  expressions = false,
}: {
  expressions?: boolean;
  placeholder?: string;
  widget: Widget;
  id: string;
  label: string;
  value: unknown;
  onCommit(v: unknown): void;
  invalidHint?: string;
}) {
  const initial = widget === 'list' && Array.isArray(value) ? value.join(', ') : show(value);
  const [draft, setDraft] = useState(initial);
  const [base, setBase] = useState(initial);
  if (base !== initial) {
    // The document changed under the field (undo, text edit): show the new value.
    setBase(initial);
    setDraft(initial);
  }
  const error = validate(widget, draft, expressions) ?? invalidHint;
  const commit = () => {
    if (draft === initial || validate(widget, draft, expressions)) return;
    onCommit(toValue(widget, draft, expressions));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (
      e.key === 'Enter' &&
      (widget !== 'json' || e.ctrlKey || e.metaKey || !draft.includes('\n'))
    ) {
      e.preventDefault();
      commit();
    }
    if (e.key === 'Escape') setDraft(initial);
  };
  const common = {
    id,
    name: label,
    'aria-label': label,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
    value: draft,
    onBlur: commit,
    onKeyDown,
    className: `weft-input widget-${widget}${error ? ' invalid' : ''}`,
    spellCheck: false,
  };
  return (
    <>
      {widget === 'json' && draft.length > 40 ? (
        <textarea
          {...common}
          rows={Math.min(8, draft.split('\n').length + 1)}
          onChange={(e) => setDraft(e.target.value)}
        />
      ) : (
        <input
          {...common}
          type="text"
          inputMode={widget === 'number' ? 'decimal' : undefined}
          placeholder={
            placeholder ??
            (widget === 'duration' ? 'e.g. 30s' : widget === 'expression' ? `\${ … }` : undefined)
          }
          onChange={(e) => setDraft(e.target.value)}
        />
      )}
      {error && (
        <div id={`${id}-error`} className="weft-field-error" role="alert">
          {error}
        </div>
      )}
    </>
  );
}

/** One key of an object schema, with its widget; objects with properties nest as fieldsets. */
export function SchemaField(props: FieldProps) {
  const { root, path, label, value, onCommit } = props;
  const r = resolve(root, props.schema, props.description);
  const id = `f-${path.join('-')}`;
  const key = path.join('.');
  const properties = r.schema.properties as Record<string, unknown> | undefined;
  if (
    r.ref === 'steps' ||
    /\/steps$/.test(String((r.schema.additionalProperties as Schema | undefined)?.$ref ?? ''))
  ) {
    // Step lists (and maps of them) are edited on the canvas.
    return null;
  }
  if (
    properties &&
    r.schema.type !== 'string' &&
    (value === undefined || (typeof value === 'object' && !Array.isArray(value)))
  ) {
    const obj = (value ?? {}) as Record<string, unknown>;
    const required = new Set((r.schema.required as string[] | undefined) ?? []);
    return (
      <fieldset className={`weft-fieldset ref-${r.ref ?? 'object'}`}>
        <legend title={r.description}>{label}</legend>
        {Object.entries(properties).map(([k, s]) => (
          <SchemaField
            key={k}
            root={root}
            schema={s}
            path={[...path, k]}
            label={k}
            value={obj[k]}
            required={required.has(k)}
            onCommit={onCommit}
            {...(props.inherited ? { inherited: props.inherited } : {})}
            {...(props.expressions ? { expressions: true } : {})}
          />
        ))}
      </fieldset>
    );
  }
  const widget = widgetOf(r);
  const expressions = props.expressions === true;
  // A checkbox or a list cannot show an expression: the field is a text input while it holds one.
  const asExpression =
    expressions &&
    (widget === 'boolean' || widget === 'enum') &&
    typeof value === 'string' &&
    isExpressionText(value);
  return (
    <div className="weft-field">
      <label htmlFor={id} title={r.description}>
        {label}
        {props.required ? ' *' : ''}
      </label>
      {asExpression ? (
        <TextWidget
          widget="expression"
          id={id}
          label={key}
          value={value}
          expressions
          onCommit={(v) => onCommit(path, v)}
        />
      ) : widget === 'boolean' ? (
        <input
          id={id}
          name={key}
          aria-label={key}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onCommit(path, e.target.checked)}
        />
      ) : widget === 'enum' ? (
        <select
          id={id}
          name={key}
          aria-label={key}
          value={value === undefined ? '' : String(value)}
          onChange={(e) => onCommit(path, e.target.value === '' ? undefined : e.target.value)}
        >
          <option value="">(default)</option>
          {(r.schema.enum as unknown[]).map((v) => (
            <option key={String(v)} value={String(v)}>
              {String(v)}
            </option>
          ))}
        </select>
      ) : (
        <TextWidget
          widget={widget}
          id={id}
          label={key}
          value={value}
          expressions={expressions}
          onCommit={(v) => onCommit(path, v)}
          {...(props.inherited?.(path) !== undefined ? { placeholder: props.inherited(path) } : {})}
        />
      )}
      {expressions && (widget === 'boolean' || widget === 'enum') && !asExpression && (
        <button
          type="button"
          className="weft-fx"
          aria-label={`Use an expression for ${key}`}
          title="Use a ${ … } expression instead"
          onClick={() => onCommit(path, asTemplate(value ?? (widget === 'boolean' ? false : '')))}
        >
          {'${ }'}
        </button>
      )}
      {r.description && <div className="weft-help">{r.description}</div>}
    </div>
  );
}
