export {
  createGrpcServer,
  type GrpcServer,
  type GrpcServerOptions,
  type AddServiceOptions,
  type CallContext,
  type StreamCallContext,
  type UnaryHandler,
  type ServerStreamHandler,
  type ServiceImplementation,
} from './server.js';
export {
  createGrpcClient,
  retryServiceConfig,
  type GrpcClient,
  type GrpcClientOptions,
  type GeneratedClientConstructor,
  type PromiseClient,
  type CallOptions,
  type RetryOptions,
} from './client.js';
export { HEALTH_SERVICE_UNKNOWN, type ReadinessCheck } from './health.js';
export {
  toAppError,
  statusOfError,
  CORRELATION_METADATA,
  ERROR_CODE_METADATA,
  ERROR_DETAILS_METADATA,
  RETRY_AFTER_METADATA,
  UPSTREAM_TIMEOUT,
  UPSTREAM_UNAVAILABLE,
  UPSTREAM_FAILED,
  type UpstreamCall,
  type ErrorStatus,
} from './errors.js';
export type {
  ServiceDefinitionLike,
  MethodDefinitionLike,
  RequestOf,
  ResponseOf,
} from './definitions.js';
