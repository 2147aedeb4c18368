/**
 * Where the domain's refusals meet the platform's error type: rules throw
 * DomainError and know nothing of transports; application code runs them
 * through `domainCall`, and a refusal leaves as an AppError of the same kind,
 * code and message, which HTTP and gRPC already know how to answer.
 */
import { AppError } from '@learning/errors';
import { DomainError } from './errors.js';

/** `error` as an AppError when it is a DomainError; anything else unchanged. */
export const appErrorOf = (error: unknown): unknown =>
  error instanceof DomainError
    ? new AppError(error.kind, error.code, error.message, { cause: error })
    : error;

/** Runs domain code; a DomainError it throws becomes an AppError. */
export function domainCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw appErrorOf(error);
  }
}
