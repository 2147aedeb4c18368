/**
 * AppErrors across a gRPC hop: the server sends the kind's status, the message
 * as the status details and the stable code (and field issues) as trailing
 * metadata; the client turns that back into an AppError. Unknown errors leave
 * as INTERNAL with a generic message; their detail stays in the server's log.
 */
import { Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import {
  AppError,
  isAppError,
  kindOfGrpcStatus,
  toPublicError,
  type FieldIssue,
  type GrpcStatusCode,
} from '@learning/errors';

export const CORRELATION_METADATA = 'x-correlation-id';
export const ERROR_CODE_METADATA = 'x-error-code';
export const ERROR_DETAILS_METADATA = 'x-error-details';
export const RETRY_AFTER_METADATA = 'x-retry-after';

export const UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT';
export const UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE';
export const UPSTREAM_FAILED = 'UPSTREAM_FAILED';

export const statusName = (code: number): string => Status[code] ?? `STATUS_${code}`;

export interface ErrorStatus {
  code: GrpcStatusCode;
  details: string;
  metadata: Metadata;
  /** The stable code sent in `x-error-code`. */
  errorCode: string;
  /** True when the detail was withheld and must be logged. */
  unexpected: boolean;
}

/**
 * Non-binary metadata must be printable ASCII, and field messages may be
 * Chinese: JSON's \u escapes keep the value ASCII and still plain JSON.
 */
const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

export function statusOfError(error: unknown): ErrorStatus {
  const publicError = toPublicError(error);
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA, publicError.body.code);
  if (publicError.body.details !== undefined)
    metadata.set(ERROR_DETAILS_METADATA, asciiJson(publicError.body.details));
  if (isAppError(error) && error.retryAfterSeconds !== undefined) {
    metadata.set(RETRY_AFTER_METADATA, String(error.retryAfterSeconds));
  }
  return {
    code: publicError.grpcStatus,
    details: publicError.body.message,
    metadata,
    errorCode: publicError.body.code,
    unexpected: publicError.unexpected,
  };
}

export function isServiceError(error: unknown): error is ServiceError {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'number' &&
    'metadata' in error &&
    error.metadata instanceof Metadata
  );
}

function firstString(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

const isFieldIssue = (value: unknown): value is FieldIssue =>
  typeof value === 'object' &&
  value !== null &&
  'field' in value &&
  typeof value.field === 'string' &&
  'message' in value &&
  typeof value.message === 'string';

function fieldIssuesOf(metadata: Metadata): FieldIssue[] {
  const raw = firstString(metadata, ERROR_DETAILS_METADATA);
  if (raw === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed)
      ? parsed.filter(isFieldIssue).map(({ field, message }) => ({ field, message }))
      : [];
  } catch {
    // Issues are an aid; a peer sending malformed ones still gets its code and message through.
    return [];
  }
}

function retryAfterOf(metadata: Metadata): number | undefined {
  const raw = firstString(metadata, RETRY_AFTER_METADATA);
  return raw !== undefined && /^\d{1,6}$/.test(raw) ? Number(raw) : undefined;
}

export interface UpstreamCall {
  /** Fully qualified service name, as people reading the error will see it. */
  service: string;
  /** The deadline the call was given, for the timeout message. */
  deadlineMs?: number;
}

/**
 * The AppError a caller should see for a failed call. A status sent by one of
 * our servers keeps its code, message and field issues; a status made by the
 * transport (no `x-error-code`) gets an upstream code and a message that names
 * the service but never repeats transport detail such as peer addresses.
 */
export function toAppError(
  error: unknown,
  call: UpstreamCall = { service: 'The upstream service' },
): AppError {
  if (isAppError(error)) return error;
  if (!isServiceError(error)) {
    return new AppError('internal', UPSTREAM_FAILED, `The call to ${call.service} failed.`, {
      cause: error,
    });
  }
  const kind = kindOfGrpcStatus(error.code);
  const code = firstString(error.metadata, ERROR_CODE_METADATA);
  if (code !== undefined) {
    const retryAfterSeconds = retryAfterOf(error.metadata);
    return new AppError(kind, code, error.details, {
      cause: error,
      details: fieldIssuesOf(error.metadata),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  switch (error.code) {
    case Status.DEADLINE_EXCEEDED: {
      const within = call.deadlineMs === undefined ? 'in time' : `within ${call.deadlineMs} ms`;
      return new AppError(
        'deadline_exceeded',
        UPSTREAM_TIMEOUT,
        `${call.service} did not answer ${within}.`,
        { cause: error },
      );
    }
    case Status.UNAVAILABLE:
      return new AppError(
        'unavailable',
        UPSTREAM_UNAVAILABLE,
        `${call.service} is unavailable right now. Please try again shortly.`,
        {
          cause: error,
        },
      );
    default:
      return new AppError(
        kind,
        UPSTREAM_FAILED,
        `${call.service} failed to answer (${statusName(error.code)}).`,
        { cause: error },
      );
  }
}
