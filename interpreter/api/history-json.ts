import { createRequire } from 'node:module';
import type { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
}
interface ProtoRoot {
  lookupType(name: string): unknown;
  temporal: { api: { history: { v1: { History: { fromObject(o: unknown): unknown } } } } };
}

let loaded: { protojson: ProtoJson; type: unknown; root: ProtoRoot } | undefined;

/**
 * The run's history as proto3 JSON (what `temporal workflow show --output json` writes).
 *
 * Why not `historyToJSON` from @temporalio/common: with npm's current layout, common and proto
 * each get their own copy of protobufjs, and protojson then rejects proto's types ("type must be
 * a Type"). Loading protojson from @temporalio/proto's own location pairs the right copies.
 */
export function historyToJson(history: History): string {
  if (!loaded) {
    const fromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
    const proto = fromProto('@temporalio/proto') as ProtoRoot;
    const { patchProtobufRoot } = fromProto('@temporalio/proto/lib/patch-protobuf-root') as {
      patchProtobufRoot(root: unknown): ProtoRoot;
    };
    const root = patchProtobufRoot(proto);
    loaded = {
      protojson: fromProto('protobufjs/ext/protojson') as ProtoJson,
      type: root.lookupType('temporal.api.history.v1.History'),
      root: proto,
    };
  }
  const message = loaded.root.temporal.api.history.v1.History.fromObject(history);
  return JSON.stringify(loaded.protojson.toJson(loaded.type, message), null, 2);
}
