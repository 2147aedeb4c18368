/**
 * The one place where a failure's kind decides its HTTP status and gRPC
 * status. Services throw `AppError` with a stable code; adapters translate.
 */

/** gRPC status codes as fixed by the gRPC specification (doc/statuscodes.md). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

export const errorKinds = {
  invalid_argument: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  unauthenticated: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  permission_denied: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  not_found: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  conflict: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  /** The request is valid but the state it acts on forbids it now. */
  failed_precondition: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  /** Optimistic concurrency lost: the caller may re-read and retry. */
  aborted: { http: 409, grpc: GrpcStatus.ABORTED },
  payload_too_large: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  rate_limited: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  unavailable: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  deadline_exceeded: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  internal: { http: 500, grpc: GrpcStatus.INTERNAL },
} as const satisfies Record<string, { http: number; grpc: GrpcStatusCode }>;

export type ErrorKind = keyof typeof errorKinds;

/** One problem with one input field, as shown to the person who sent it. */
export interface FieldIssue {
  /** JSON-pointer-like path of the field, e.g. `/participant/phone`. */
  field: string;
  message: string;
}

export interface AppErrorOptions {
  details?: readonly FieldIssue[];
  cause?: unknown;
  /** Seconds after which a retry may succeed (rate limits, unavailability). */
  retryAfterSeconds?: number;
}

/**
 * An error a person can act on. `code` is stable (clients branch on it);
 * `message` is written for people and must never carry personal data.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly details: readonly FieldIssue[];
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get httpStatus(): number {
    return errorKinds[this.kind].http;
  }

  get grpcStatus(): GrpcStatusCode {
    return errorKinds[this.kind].grpc;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** What leaves the process: never a stack, never an unknown error's text. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: FieldIssue[];
}

export interface PublicError {
  httpStatus: number;
  grpcStatus: GrpcStatusCode;
  body: ErrorBody;
  /** True when the detail was withheld and must be logged by the caller. */
  unexpected: boolean;
}

export const INTERNAL_ERROR_CODE = 'INTERNAL';

export function toPublicError(error: unknown): PublicError {
  if (isAppError(error)) {
    const body: ErrorBody = { code: error.code, message: error.message };
    if (error.details.length > 0) body.details = [...error.details];
    return {
      httpStatus: error.httpStatus,
      grpcStatus: error.grpcStatus,
      body,
      unexpected: error.kind === 'internal',
    };
  }
  return {
    httpStatus: errorKinds.internal.http,
    grpcStatus: errorKinds.internal.grpc,
    body: {
      code: INTERNAL_ERROR_CODE,
      message:
        'Something went wrong on our side. The error has been logged; please try again later.',
    },
    unexpected: true,
  };
}

/** The inverse of the gRPC mapping, for clients turning a status back into an AppError. */
export function kindOfGrpcStatus(code: number): ErrorKind {
  switch (code) {
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.OUT_OF_RANGE:
      return 'invalid_argument';
    case GrpcStatus.UNAUTHENTICATED:
      return 'unauthenticated';
    case GrpcStatus.PERMISSION_DENIED:
      return 'permission_denied';
    case GrpcStatus.NOT_FOUND:
      return 'not_found';
    case GrpcStatus.ALREADY_EXISTS:
      return 'conflict';
    case GrpcStatus.FAILED_PRECONDITION:
      return 'failed_precondition';
    case GrpcStatus.ABORTED:
      return 'aborted';
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return 'rate_limited';
    case GrpcStatus.UNAVAILABLE:
      return 'unavailable';
    case GrpcStatus.DEADLINE_EXCEEDED:
      return 'deadline_exceeded';
    default:
      return 'internal';
  }
}
