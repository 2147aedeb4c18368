import { Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import { AppError, INTERNAL_ERROR_CODE, platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODE_METADATA,
  ERROR_DETAILS_METADATA,
  statusOfError,
  toAppError,
  UPSTREAM_FAILED,
  UPSTREAM_TIMEOUT,
  UPSTREAM_UNAVAILABLE,
} from '../../src/index.js';

/** What a grpc-js client reports for a status, as the server (or the transport) sent it. */
function serviceError(code: Status, details: string, metadata = new Metadata()): ServiceError {
  return Object.assign(new Error(`${code} ${Status[code]}: ${details}`), {
    code,
    details,
    metadata,
  });
}

const upstream = { service: 'learning.activities.v1.ActivityService', deadlineMs: 2_000 };

describe('statusOfError', () => {
  it('when an AppError has Chinese field issues, then its metadata stays ASCII and decodes to the same issues', () => {
    const error = new AppError('invalid_argument', 'ACTIVITY_INVALID', '活动信息不完整。', {
      details: [{ field: '/title', message: '必须填写' }],
      retryAfterSeconds: 30,
    });

    const status = statusOfError(error);

    expect(status).toMatchObject({
      code: Status.INVALID_ARGUMENT,
      details: '活动信息不完整。',
      unexpected: false,
    });
    const raw = status.metadata.get(ERROR_DETAILS_METADATA)[0];
    expect(raw).toMatch(/^[\x20-\x7e]+$/);
    const back = toAppError(
      serviceError(Status.INVALID_ARGUMENT, status.details, status.metadata),
      upstream,
    );
    expect(back).toMatchObject({
      kind: 'invalid_argument',
      code: 'ACTIVITY_INVALID',
      message: '活动信息不完整。',
      details: [{ field: '/title', message: '必须填写' }],
      retryAfterSeconds: 30,
    });
  });

  it('when the error is not an AppError, then the status is INTERNAL with a generic message', () => {
    const status = statusOfError(new Error('duplicate key: phone 13812345678'));

    expect(status.code).toBe(Status.INTERNAL);
    expect(status.details).not.toContain('13812345678');
    expect(status.metadata.get(ERROR_CODE_METADATA)).toEqual([INTERNAL_ERROR_CODE]);
    expect(status.unexpected).toBe(true);
  });
});

describe('toAppError', () => {
  it('when the transport reports DEADLINE_EXCEEDED, then the error names the service and the deadline', () => {
    const error = toAppError(
      serviceError(Status.DEADLINE_EXCEEDED, 'Deadline exceeded after 2.001s'),
      upstream,
    );

    expect(error).toMatchObject({
      kind: 'deadline_exceeded',
      code: UPSTREAM_TIMEOUT,
      message: 'learning.activities.v1.ActivityService did not answer within 2000 ms.',
    });
  });

  it('when the transport reports UNAVAILABLE, then the message leaves out the transport detail', () => {
    const error = toAppError(
      serviceError(
        Status.UNAVAILABLE,
        'No connection established. Last error: connect ECONNREFUSED 10.0.3.7:50051',
      ),
      upstream,
    );

    expect(error).toMatchObject({ kind: 'unavailable', code: UPSTREAM_UNAVAILABLE });
    expect(error.message).not.toContain('10.0.3.7');
  });

  it('when the peer answers a status without an error code, then the kind follows the status', () => {
    const error = toAppError(serviceError(Status.UNIMPLEMENTED, 'Method not found'), upstream);

    expect(error).toMatchObject({
      kind: 'internal',
      code: UPSTREAM_FAILED,
      message: 'learning.activities.v1.ActivityService failed to answer (UNIMPLEMENTED).',
    });
  });

  it('when the field issues are malformed, then the code and message still arrive', () => {
    const metadata = new Metadata();
    metadata.set(ERROR_CODE_METADATA, 'ACTIVITY_INVALID');
    metadata.set(ERROR_DETAILS_METADATA, '[{"field": 3}, not json');

    const error = toAppError(
      serviceError(Status.INVALID_ARGUMENT, 'Not valid.', metadata),
      upstream,
    );

    expect(error).toMatchObject({
      kind: 'invalid_argument',
      code: 'ACTIVITY_INVALID',
      message: 'Not valid.',
      details: [],
    });
  });

  it('when the error is not a gRPC status at all, then it is an internal upstream failure keeping the cause', () => {
    const cause = new Error('token provider failed');

    const error = toAppError(cause, upstream);

    expect(error).toMatchObject({ kind: 'internal', code: UPSTREAM_FAILED });
    expect(error.cause).toBe(cause);
  });

  it('when the error already is an AppError, then it is returned as it is', () => {
    const appError = new AppError('unauthenticated', 'TOKEN_MISSING', 'No token.');

    expect(toAppError(appError, upstream)).toBe(appError);
  });
});

describe('the codes gRPC clients give', () => {
  it('when a peer fails, then each code is the platform catalogue’s, with the status of its kind', () => {
    const codes = [UPSTREAM_FAILED, UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE];
    const statuses = codes.map((code) =>
      platformErrors.has(code) ? platformErrors.grpcStatusOf(code) : undefined,
    );

    expect(statuses).toEqual([Status.INTERNAL, Status.DEADLINE_EXCEEDED, Status.UNAVAILABLE]);
  });
});
