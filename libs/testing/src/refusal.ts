import { DomainError } from '@learning/domain';

/** The DomainError a rule throws; fails the test when the rule does not refuse. */
export function refusalOf(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}
