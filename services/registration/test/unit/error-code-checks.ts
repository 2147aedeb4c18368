/** What every slice's error-code test checks, over that slice's catalogue. */
import { isAppError, type AppError, type ErrorCatalogue } from '@learning/errors';
import { expect } from 'vitest';
import { domainCall } from '../../src/application/errors.js';

/** The AppError a refusing domain rule leaves the application layer with. */
export function appRefusalOf(rule: () => unknown): AppError {
  try {
    domainCall(rule);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error('the rule did not refuse');
}

/** Each error is the catalogue's, with the HTTP and gRPC status its entry gives. */
export function expectCatalogueStatuses(
  catalogue: ErrorCatalogue,
  errors: readonly AppError[],
): void {
  for (const error of errors) {
    const { code } = error;
    if (!catalogue.has(code)) throw new Error(`${error.code} is not in the catalogue`);
    expect({ code, http: error.httpStatus, grpc: error.grpcStatus }).toEqual({
      code,
      http: catalogue.httpStatusOf(code),
      grpc: catalogue.grpcStatusOf(code),
    });
  }
}
