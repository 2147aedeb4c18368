import { describe, expect, it } from 'vitest';
import {
  AppError,
  GrpcStatus,
  errorKinds,
  kindOfGrpcStatus,
  toPublicError,
} from '../../src/index.js';

describe('toPublicError', () => {
  it('when an AppError is thrown, then its code, message and field details are returned with the mapped statuses', () => {
    const error = new AppError(
      'invalid_argument',
      'PARTICIPANT_INVALID',
      'The participant is not valid.',
      {
        details: [{ field: '/tier', message: 'must be one of the five tiers' }],
      },
    );
    expect(toPublicError(error)).toEqual({
      httpStatus: 400,
      grpcStatus: GrpcStatus.INVALID_ARGUMENT,
      body: {
        code: 'PARTICIPANT_INVALID',
        message: 'The participant is not valid.',
        details: [{ field: '/tier', message: 'must be one of the five tiers' }],
      },
      unexpected: false,
    });
  });

  it('when an unknown error is thrown, then its text is withheld and it is flagged for logging', () => {
    const leaked = new Error('E11000 duplicate key { phone: "13800138000" }');
    const result = toPublicError(leaked);
    expect(result.httpStatus).toBe(500);
    expect(result.grpcStatus).toBe(GrpcStatus.INTERNAL);
    expect(result.body.code).toBe('INTERNAL');
    expect(JSON.stringify(result.body)).not.toContain('13800138000');
    expect(result.unexpected).toBe(true);
  });

  it('when a non-Error value is thrown, then it is treated as internal', () => {
    expect(toPublicError('boom').httpStatus).toBe(500);
  });
});

describe('kindOfGrpcStatus', () => {
  it('when a status produced by the mapping comes back, then it maps to a kind with the same statuses', () => {
    for (const [kind, statuses] of Object.entries(errorKinds)) {
      const roundTripped = errorKinds[kindOfGrpcStatus(statuses.grpc)];
      expect(roundTripped.grpc, kind).toBe(statuses.grpc);
    }
  });
});
