import { fileURLToPath } from 'node:url';
import path from 'node:path';
import protobuf from 'protobufjs';

/**
 * The OTLP message types, and the store's own chunk message, loaded once
 * from the .proto files shipped in `proto/` (see proto/README.md) with
 * protobufjs, which builds decoders and encoders from them at run time.
 * Field names come out lowerCamelCase, as in OTLP/JSON.
 */
const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

function load(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
  root.loadSync([
    'opentelemetry/proto/collector/trace/v1/trace_service.proto',
    'opentelemetry/proto/collector/logs/v1/logs_service.proto',
    'google/rpc/status.proto',
    'tracelens/store/v1/chunk.proto',
  ]);
  root.resolveAll();
  return root;
}

const root = load();

export const ExportTraceServiceRequest = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
export const ExportTraceServiceResponse = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
export const ExportLogsServiceRequest = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
export const ExportLogsServiceResponse = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse');
export const RpcStatus = root.lookupType('google.rpc.Status');
export const Resource = root.lookupType('opentelemetry.proto.resource.v1.Resource');
/** How the store keeps one trace's spans of one export (proto/tracelens/store/v1/chunk.proto). */
export const Chunk = root.lookupType('tracelens.store.v1.Chunk');
export const Span = root.lookupType('opentelemetry.proto.trace.v1.Span');
/** ExportTraceServiceRequest with each span left as its bytes (wire-compatible, see chunk.proto). */
export const ExportTraceServiceRequestRaw = root.lookupType('tracelens.store.v1.ExportTraceServiceRequestRaw');
/** Chunk written from spans' bytes (wire-compatible with Chunk). */
export const ChunkRaw = root.lookupType('tracelens.store.v1.ChunkRaw');
