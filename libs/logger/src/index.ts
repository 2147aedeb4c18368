/**
 * One pino root per process. Every line carries `service`, `version` and the
 * correlation id of the work in progress (from AsyncLocalStorage), its
 * `trace_id` and `span_id` when a span is active (@learning/tracing), and personal
 * data is removed before a line is written, whatever the caller passed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { context as traceContexts, trace } from '@opentelemetry/api';
import {
  pino,
  stdSerializers,
  type Logger,
  type LoggerOptions,
  type DestinationStream,
} from 'pino';

export type { Logger } from 'pino';

export interface RequestContext {
  readonly correlationId: string;
  /** Who is acting, when known: a user id or a service identity. Never personal data. */
  readonly actor?: string;
}

const contextStorage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` with a correlation id that every log line inside it will carry. */
export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return contextStorage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return contextStorage.getStore();
}

export function currentCorrelationId(): string | undefined {
  return contextStorage.getStore()?.correlationId;
}

export const newCorrelationId = (): string => randomUUID();

/** Correlation ids cross process boundaries; accept only a safe, bounded form. */
export function acceptCorrelationId(candidate: unknown): string | undefined {
  return typeof candidate === 'string' && /^[A-Za-z0-9._:-]{8,128}$/.test(candidate)
    ? candidate
    : undefined;
}

export const REDACTED = '[redacted]';

/** Keys whose values are personal data or credentials, wherever they appear. */
const sensitiveKey =
  /^(phone|phoneNumber|mobile|tel|idNumber|idCard|nationalId|citizenId|identityNumber|password|secret|token|accessToken|refreshToken|authorization|cookie|set-cookie|x-api-key|apiKey)$/i;

/**
 * Personal data that slips into free text (a database error quoting a
 * duplicate key, a message built by hand): PRC resident ID numbers, mainland
 * mobile numbers and bearer tokens.
 */
const sensitiveText: readonly RegExp[] = [
  /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g,
  /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g,
  /Bearer\s+[A-Za-z0-9._~+/-]+=*/g,
];

export function scrubText(text: string): string {
  let result = text;
  for (const pattern of sensitiveText) result = result.replace(pattern, REDACTED);
  return result;
}

const MAX_DEPTH = 8;

/** Returns a copy of `value` with sensitive keys masked and free text scrubbed. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[depth limit]';
  if (value instanceof Error) return redact(stdSerializers.err(value), depth + 1);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    result[key] = sensitiveKey.test(key) ? REDACTED : redact(child, depth + 1);
  }
  return result;
}

export interface RootLoggerOptions {
  service: string;
  version: string;
  level?: LoggerOptions['level'];
  /** Where lines go; defaults to stdout, pretty-printed only when it is a TTY. */
  destination?: DestinationStream;
}

export function createRootLogger(options: RootLoggerOptions): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service, version: options.version },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    mixin() {
      const context = contextStorage.getStore();
      // No span is ever active while tracing is off: then this adds nothing.
      const span = trace.getSpanContext(traceContexts.active());
      return {
        ...(context === undefined ? {} : { correlationId: context.correlationId }),
        ...(context?.actor === undefined ? {} : { actor: context.actor }),
        ...(span === undefined ? {} : { trace_id: span.traceId, span_id: span.spanId }),
      };
    },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redact(object) as Record<string, unknown>,
    },
    hooks: {
      // The message string is not part of the object `formatters.log` sees.
      logMethod(args, method) {
        const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  if (options.destination !== undefined) return pino(pinoOptions, options.destination);
  if (process.stdout.isTTY) {
    return pino({
      ...pinoOptions,
      transport: { target: 'pino-pretty', options: { colorize: true } },
    });
  }
  return pino(pinoOptions);
}
