/** The messages a flow declares, as the Run panel offers them, with a payload to start from. */

export interface DeclaredMessage {
  kind: 'signal' | 'update' | 'query';
  name: string;
  /** A payload that fits the message's `input` schema, to edit before sending. */
  skeleton: unknown;
}

type Schema = { type?: unknown; properties?: Record<string, unknown>; required?: unknown };

/** A value of the schema's shape: required keys with placeholders of their type. */
export function payloadSkeleton(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const s = schema as Schema;
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = Array.isArray(s.required) ? (s.required as unknown[]) : [];
      for (const key of required) {
        if (typeof key !== 'string') continue;
        out[key] = payloadSkeleton(s.properties?.[key]) ?? '';
      }
      return out;
    }
    case 'array':
      return [];
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

function entries(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.entries(value)
    : [];
}

/** The flow's signals, updates and queries (as written in its top-level body). */
export function declaredMessages(flow: unknown): DeclaredMessage[] {
  const f = (typeof flow === 'object' && flow !== null ? flow : {}) as Record<string, unknown>;
  const out: DeclaredMessage[] = [];
  for (const kind of ['signal', 'update'] as const)
    for (const [name, handler] of entries(f[`${kind}s`])) {
      const input = (handler as { input?: unknown } | null)?.input;
      out.push({ kind, name, skeleton: payloadSkeleton(input) });
    }
  for (const [name] of entries(f.queries)) out.push({ kind: 'query', name, skeleton: undefined });
  return out;
}
