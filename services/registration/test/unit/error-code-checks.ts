/** How a slice's error-code test gets the AppError a domain rule's refusal becomes. */
import { isAppError, type AppError } from '@learning/errors';
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
