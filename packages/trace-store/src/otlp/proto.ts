import { fileURLToPath } from 'node:url';
import path from 'node:path';
import protobuf from 'protobufjs';

/**
 * The OTLP message types, loaded once from the .proto files shipped in
 * `proto/` (see proto/README.md) with protobufjs, which builds decoders from
 * them at run time. Field names come out lowerCamelCase, as in OTLP/JSON.
 */
const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));

function load(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(PROTO_DIR, target);
  root.loadSync([
    'opentelemetry/proto/collector/trace/v1/trace_service.proto',
    'opentelemetry/proto/collector/logs/v1/logs_service.proto',
    'google/rpc/status.proto',
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
