export { otlpTracesUrl, tracingEnv, type TracingConfig } from './config.js';
export {
  activeTracer,
  contextOfTraceHeaders,
  endSpan,
  startSpan,
  traceHeadersOf,
  withTraceContext,
  type TraceHeaders,
} from './propagation.js';
export { startTracing, type Tracing, type TracingOptions } from './setup.js';
// What a test needs to read an app's spans, without a dependency on the SDK of its own.
export {
  InMemorySpanExporter,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
