/**
 * Yardmaster's wire contracts: the protobuf messages generated from `proto/` by buf and
 * protoc-gen-es (never edited by hand), the typed topic map, and the gRPC service glue.
 */
export * from './gen/yardmaster/v1/common_pb.js';
export * from './gen/yardmaster/v1/request_pb.js';
export * from './gen/yardmaster/v1/classification_pb.js';
export * from './gen/yardmaster/v1/routing_pb.js';
export * from './gen/yardmaster/v1/response_pb.js';
export * from './gen/yardmaster/v1/router_service_pb.js';
export * from './gen/yardmaster/v1/feedback_pb.js';
export * from './topics.js';
export * from './grpc.js';
export * from './convert.js';
export { create, toBinary, fromBinary, toJson, fromJson, clone, type MessageShape, type MessageInitShape } from '@bufbuild/protobuf';
export { timestampFromMs, timestampMs, timestampDate, timestampNow } from '@bufbuild/protobuf/wkt';
export * from './pipeline.js';
