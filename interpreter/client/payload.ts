import type { Client } from '@temporalio/client';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FlowRunInput, JsonSchema } from '../model';
import { ClientError } from './errors';

export type MessageKind = 'signal' | 'update';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);

/** The payload schemas a run declares, compiled on first use. */
interface RunSchemas {
  signal: Map<string, JsonSchema>;
  update: Map<string, JsonSchema>;
  compiled: Map<string, ValidateFunction>;
}

/**
 * Runs whose schemas are known, by run id, least recently used first. A run's flow never changes,
 * so an entry is never stale; the bound keeps a long-running API from growing with every run it
 * has talked to.
 */
const known = new Map<string, RunSchemas>();
const KNOWN_RUNS = 256;

function remember(runId: string, schemas: RunSchemas): void {
  known.delete(runId);
  known.set(runId, schemas);
  if (known.size > KNOWN_RUNS) {
    const oldest = known.keys().next().value;
    if (oldest !== undefined) known.delete(oldest);
  }
}

function schemasOf(flow: FlowRunInput['flow'] | undefined): RunSchemas {
  const out: RunSchemas = { signal: new Map(), update: new Map(), compiled: new Map() };
  for (const [name, h] of Object.entries(flow?.signals ?? {}))
    if (h.input !== undefined) out.signal.set(name, h.input);
  for (const [name, h] of Object.entries(flow?.updates ?? {}))
    if (h.input !== undefined) out.update.set(name, h.input);
  return out;
}

/**
 * The payload schemas of the workflow's current run. The flow travels in every run's input (the
 * first history event, continue-as-new included), so one describe (for the run id) and, the first
 * time a run is seen, one history page of one event; a run that is not a Weft flow declares none.
 */
async function runSchemas(client: Client, workflowId: string): Promise<RunSchemas> {
  const { runId } = await client.workflow.getHandle(workflowId).describe();
  const cached = known.get(runId);
  if (cached) {
    remember(runId, cached);
    return cached;
  }
  const page = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  const started = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  const first = started?.input?.payloads?.[0];
  let input: Partial<FlowRunInput> | undefined;
  try {
    input = first
      ? (client.options.loadedDataConverter.payloadConverter.fromPayload(first) as FlowRunInput)
      : undefined;
  } catch {
    // Not a Weft run's input: nothing declared, nothing to check.
  }
  const schemas = schemasOf(typeof input?.flow === 'object' ? input.flow : undefined);
  remember(runId, schemas);
  return schemas;
}

function describe(errors: ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ');
}

/**
 * Throws WEFT_INVALID_PAYLOAD when `payload` does not match the `input` schema the run declares
 * for this signal or update, before anything is sent. A message the flow declares no schema for
 * (or does not declare at all) passes: the run decides.
 */
export async function checkMessagePayload(
  client: Client,
  workflowId: string,
  kind: MessageKind,
  name: string,
  payload: unknown,
): Promise<void> {
  const schemas = await runSchemas(client, workflowId);
  const schema = schemas[kind].get(name);
  if (schema === undefined || schema === true) return;
  const key = `${kind}:${name}`;
  let validate = schemas.compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    // ajv keeps every compiled schema; the run's entry above holds the function instead.
    ajv.removeSchema(schema);
    schemas.compiled.set(key, validate);
  }
  if (validate(payload)) return;
  const errors = validate.errors ?? [];
  throw new ClientError(
    'WEFT_INVALID_PAYLOAD',
    `the payload of ${kind} ${name} does not match its input schema: ${describe(errors)}`,
    errors,
  );
}
