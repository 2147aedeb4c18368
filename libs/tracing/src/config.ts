/** The tracing variables every service has; the names are OpenTelemetry's standard ones. */
import { env } from '@learning/config';
import { Type, type Static, type TObject } from '@sinclair/typebox';

export const tracingEnv = {
  /**
   * Where spans go by OTLP over HTTP (protobuf), e.g. `http://otel-collector:4318`; `/v1/traces`
   * is appended. Unset: tracing is off, unless OTEL_TRACES_EXPORTER=otlp (then the standard
   * `http://localhost:4318`).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: env.optional(env.url()),
  /** `none` turns tracing off whatever the endpoint says; `otlp` turns it on. */
  OTEL_TRACES_EXPORTER: env.optional(env.oneOf(['otlp', 'none'])),
  /** The share of new traces recorded (0 to 1); a trace started upstream keeps its caller's choice. */
  OTEL_TRACES_SAMPLER_ARG: Type.Number({ minimum: 0, maximum: 1, default: 1 }),
  /** How long finished spans wait to be sent together, in ms. */
  OTEL_BSP_SCHEDULE_DELAY: env.integer({ default: 5_000, minimum: 1 }),
};

export type TracingConfig = Readonly<Static<TObject<typeof tracingEnv>>>;

/** The OTLP traces URL when tracing is on, undefined when it is off. */
export function otlpTracesUrl(config: TracingConfig): string | undefined {
  if (config.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const endpoint =
    config.OTEL_EXPORTER_OTLP_ENDPOINT ??
    (config.OTEL_TRACES_EXPORTER === 'otlp' ? 'http://localhost:4318' : undefined);
  return endpoint === undefined ? undefined : `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
