import { createRequire } from 'node:module';
import { temporal } from '@temporalio/proto';

export type History = temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History | null;
}

/**
 * History ⇄ proto JSON, the format of `temporal workflow show --output json`.
 *
 * Why not `historyToJSON`/`historyFromJSON` from `@temporalio/common/lib/proto-utils`: in this
 * install they throw "type must be a Type". npm keeps protobufjs 7 at the root for
 * @grpc/proto-loader and gives @temporalio/common, /proto and /worker a protobufjs 8 copy each;
 * common's protojson then refuses the History type built by proto's copy (an `instanceof` across
 * copies). These are the same protojson functions, taken from the copy that built the type.
 * Once one protobufjs 8 is installed for all three, switch back to the SDK's helpers.
 */
const requireFromHere = createRequire(import.meta.url);
const protoJson = createRequire(requireFromHere.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as ProtoJson;
const HistoryType = temporal.api.history.v1.History;

export function historyToJson(history: History): string {
  return JSON.stringify(protoJson.toJson(HistoryType, HistoryType.fromObject(history)), null, 2);
}

/** Unknown fields (from a newer server) are ignored, as the SDK's own parser does. */
export function historyFromJson(json: unknown): History {
  const history = protoJson.fromJson(HistoryType, json, { ignoreUnknownFields: true });
  if (!history?.events?.length) throw new TypeError('no events');
  return history;
}
