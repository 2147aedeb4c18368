/**
 * The domain's own failure: a stable `code` for programs and a message for
 * people. `kind` names the `@learning/errors` kind the application layer maps
 * it to, so the domain stays free of that library while the mapping stays
 * one line. Messages never carry personal data (phone, ID number).
 */
export type DomainErrorKind = 'invalid_argument' | 'permission_denied' | 'failed_precondition';

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
