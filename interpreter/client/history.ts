import { createRequire } from 'node:module';
import type { Client } from '@temporalio/client';
// @temporalio/proto is CommonJS: Node's ESM loader sees only its default export, so take the
// namespace from there (vitest's interop would hide a named import's failure).
import proto, { type temporal } from '@temporalio/proto';
import { ClientError } from './errors';

export type History = temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

let protoJson: { codec: ProtoJson; historyType: unknown } | undefined;

/**
 * protobufjs's ProtoJSON codec, loaded from @temporalio/proto's own copy of protobufjs. The SDK's
 * historyToJSON/historyFromJSON load it from @temporalio/common's nested copy, which rejects
 * @temporalio/proto's types ("type must be a Type") in this install.
 */
function codec() {
  if (!protoJson) {
    const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
    const { patchProtobufRoot } = fromProto('@temporalio/proto/lib/patch-protobuf-root') as {
      patchProtobufRoot(root: unknown): { lookupType(name: string): unknown };
    };
    const root = patchProtobufRoot(fromProto('@temporalio/proto'));
    protoJson = {
      codec: fromProto('protobufjs/ext/protojson') as ProtoJson,
      historyType: root.lookupType('temporal.api.history.v1.History'),
    };
  }
  return protoJson;
}

/** A history as proto3 JSON: the format `temporal workflow show --output json` writes. */
export function historyToJson(history: History): string {
  const { codec: c, historyType } = codec();
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return JSON.stringify(c.toJson(historyType, message), null, 2);
}

/** The run's full event history as proto3 JSON. */
export async function exportHistory(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<string> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  return historyToJson(history);
}

const PASCAL_EVENT = /^[A-Z][a-zA-Z]+$/;

/**
 * Reads an exported history: proto3 JSON (ours, the Temporal CLI's, the Web UI's download,
 * including the older PascalCase event types), or the plain-object form protobufjs's toObject
 * writes (enums as strings, timestamps as {seconds, nanos}).
 */
export function parseHistory(text: string): History {
  let json: { events?: Record<string, unknown>[] };
  try {
    json = JSON.parse(text) as typeof json;
  } catch (err) {
    throw new ClientError('WEFT_BAD_HISTORY', `not JSON: ${(err as Error).message}`);
  }
  if (!json || !Array.isArray(json.events) || json.events.length === 0) {
    throw new ClientError('WEFT_BAD_HISTORY', 'not a Temporal history: expected {"events": [...]}');
  }
  const protoJsonForm = json.events.some((e) => typeof e.eventTime === 'string');
  try {
    if (!protoJsonForm) return proto.temporal.api.history.v1.History.fromObject(json);
    const events = json.events.map((e) => {
      const type = e.eventType;
      if (typeof type !== 'string' || !PASCAL_EVENT.test(type)) return e;
      return {
        ...e,
        eventType: `EVENT_TYPE_${type.replace(/(?!^)([A-Z])/g, '_$1').toUpperCase()}`,
      };
    });
    const { codec: c, historyType } = codec();
    return c.fromJson(historyType, { ...json, events }, { ignoreUnknownFields: true }) as History;
  } catch (err) {
    throw new ClientError('WEFT_BAD_HISTORY', `not a Temporal history: ${(err as Error).message}`);
  }
}
