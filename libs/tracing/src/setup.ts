/**
 * A service's tracer: recording and exported by OTLP when configured, absent
 * otherwise. Absent rather than a no-op tracer, so the hooks that would start
 * spans are not installed at all and a request costs nothing extra.
 *
 * Each app has its own provider rather than the process-wide global one: its
 * spans carry its own `service.name` even when several apps share a process
 * (the tests). The context manager is process-wide by nature and set once.
 */
import { context as contexts, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { otlpTracesUrl, type TracingConfig } from './config.js';

export interface TracingOptions {
  readonly service: { readonly name: string; readonly version: string };
  readonly config: TracingConfig;
  /** Replaces the OTLP exporter and turns tracing on (tests pass an InMemorySpanExporter). */
  readonly exporter?: SpanExporter;
}

export interface Tracing {
  /** Undefined while tracing is off: nothing is to be traced. */
  readonly tracer: Tracer | undefined;
  /** Sends the finished spans now rather than at the next scheduled export. */
  flush(): Promise<void>;
  /** Sends what is still buffered and stops; resolves at once when tracing is off. */
  shutdown(): Promise<void>;
}

let contextManagerSet = false;

export function startTracing(options: TracingOptions): Tracing {
  const { config } = options;
  const url = otlpTracesUrl(config);
  const exporter =
    options.exporter ?? (url === undefined ? undefined : new OTLPTraceExporter({ url }));
  if (exporter === undefined) {
    const nothing = (): Promise<void> => Promise.resolve();
    return { tracer: undefined, flush: nothing, shutdown: nothing };
  }

  if (!contextManagerSet) {
    contexts.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.service.name,
      [ATTR_SERVICE_VERSION]: options.service.version,
    }),
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG),
    }),
    spanProcessors: [
      new BatchSpanProcessor({ exporter, scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY }),
    ],
  });
  return {
    tracer: provider.getTracer(`@learning/${options.service.name}`, options.service.version),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
