import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import { OtlpHttpJsonExporter, parseOtlpHeaders } from './otlp-exporter';

/** The sandbox module with OpenTelemetry's workflow interceptors, for bundles that trace. */
export const OTEL_WORKFLOW_MODULE = '@temporalio/interceptors-opentelemetry/lib/workflow';

export interface Tracing {
  endpoint: string;
  resource: Resource;
  processor: SpanProcessor;
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/**
 * Turns OpenTelemetry tracing on when OTEL_EXPORTER_OTLP_ENDPOINT (or the traces-specific
 * variable) is set: spans go to `{endpoint}/v1/traces` as OTLP/HTTP JSON, with
 * OTEL_SERVICE_NAME (default `weft`) and OTEL_EXPORTER_OTLP_HEADERS. Idempotent.
 */
export function installTracing(env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (active) return active;
  const endpoint =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  const headers = parseOtlpHeaders(
    env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS,
  );
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || 'weft' });
  const processor = new BatchSpanProcessor(new OtlpHttpJsonExporter(endpoint, headers), {
    scheduledDelayMillis: 500,
  });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  active = {
    endpoint,
    resource,
    processor,
    shutdown: async () => {
      await provider.shutdown();
    },
  };
  return active;
}

export function tracing(): Tracing | undefined {
  return active;
}

/** Client interceptors: a span per start/signal/query/update, with context sent in headers. */
export function tracingClientInterceptors(): WorkflowClientInterceptor[] {
  return active ? [new OpenTelemetryWorkflowClientInterceptor()] : [];
}

/** Activity interceptors: a span per activity attempt, child of the workflow's trace. */
export function tracingActivityInterceptors(): ActivityInterceptorsFactory[] {
  if (!active) return [];
  return [
    (ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }),
  ];
}

/**
 * Worker sinks for workflow spans (the sandbox hands finished spans to this exporter). A worker
 * whose bundle includes OTEL_WORKFLOW_MODULE must register them.
 */
export function tracingSinks(): NonNullable<WorkerOptions['sinks']> {
  if (!active) return {};
  return { exporter: makeWorkflowExporter(active.processor, active.resource) };
}
