import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

type OtlpValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpValue[] } };

function value(v: AttributeValue | undefined): OtlpValue {
  if (Array.isArray(v)) return { arrayValue: { values: v.map((x) => value(x ?? undefined)) } };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number')
    return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: v === undefined || v === null ? '' : String(v) };
}

const attributes = (attrs: Attributes) =>
  Object.entries(attrs).map(([key, v]) => ({ key, value: value(v) }));

const nanos = ([s, ns]: HrTime) => (BigInt(s) * 1_000_000_000n + BigInt(ns)).toString();

/** The OTLP/HTTP JSON body for a batch of spans (one resource and scope per span group). */
export function otlpBody(spans: ReadableSpan[]): unknown {
  const byResource = new Map<ReadableSpan['resource'], ReadableSpan[]>();
  for (const span of spans)
    byResource.set(span.resource, [...(byResource.get(span.resource) ?? []), span]);
  return {
    resourceSpans: [...byResource].map(([resource, group]) => ({
      resource: { attributes: attributes(resource.attributes) },
      scopeSpans: [
        {
          scope: { name: group[0]?.instrumentationLibrary.name ?? 'weft' },
          spans: group.map((span) => ({
            traceId: span.spanContext().traceId,
            spanId: span.spanContext().spanId,
            ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
            name: span.name,
            // OTLP numbers kinds from 1 (internal); the API from 0.
            kind: span.kind + 1,
            startTimeUnixNano: nanos(span.startTime),
            endTimeUnixNano: nanos(span.endTime),
            attributes: attributes(span.attributes),
            events: span.events.map((e) => ({
              name: e.name,
              timeUnixNano: nanos(e.time),
              attributes: attributes(e.attributes ?? {}),
            })),
            status: {
              code: span.status.code,
              ...(span.status.message ? { message: span.status.message } : {}),
            },
          })),
        },
      ],
    })),
  };
}

/**
 * A small OTLP/HTTP (JSON) span exporter: POST {endpoint}/v1/traces. The SDK's own OTLP
 * exporter packages are not installed here, and the JSON encoding is all a collector needs.
 */
export class OtlpHttpJsonExporter implements SpanExporter {
  private readonly url: string;
  private pending = new Set<Promise<void>>();

  constructor(
    endpoint: string,
    private readonly headers: Record<string, string> = {},
  ) {
    this.url = /\/v1\/traces\/?$/.test(endpoint)
      ? endpoint
      : `${endpoint.replace(/\/+$/, '')}/v1/traces`;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const sent = fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers },
      body: JSON.stringify(otlpBody(spans)),
    })
      .then((res) => {
        done({ code: res.ok ? ExportResultCode.SUCCESS : ExportResultCode.FAILED });
      })
      .catch((err: unknown) => {
        done({ code: ExportResultCode.FAILED, error: err as Error });
      })
      .finally(() => {
        this.pending.delete(sent);
      });
    this.pending.add(sent);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.pending);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}

/** OTEL_EXPORTER_OTLP_HEADERS: `k1=v1,k2=v2`, values URL-encoded. */
export function parseOtlpHeaders(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    try {
      out[pair.slice(0, eq).trim()] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      // A malformed header is skipped rather than failing the whole process.
    }
  }
  return out;
}
