/**
 * The domain's own failure: a stable UPPER_SNAKE `code` for programs and a
 * message for people. `kind` names the `@learning/errors` kind the
 * application layer maps it to, so the domain stays free of that library
 * while the mapping stays one line. Messages never carry personal data.
 */
export type DomainErrorKind =
  'invalid_argument' | 'permission_denied' | 'failed_precondition' | 'conflict';

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

export const invalid = (code: string, message: string): DomainError =>
  new DomainError('invalid_argument', code, message);

export const forbidden = (code: string, message: string): DomainError =>
  new DomainError('permission_denied', code, message);

export const precondition = (code: string, message: string): DomainError =>
  new DomainError('failed_precondition', code, message);

/** The rule allows one of a thing and there is one already (a second scorecard). */
export const conflict = (code: string, message: string): DomainError =>
  new DomainError('conflict', code, message);
