/** Refusals every slice of the service words the same way. */
import { AppError } from '@learning/errors';

/** 400 at `field` (a JSON pointer into the request). */
export const invalidAt = (code: string, message: string, field: string): AppError =>
  new AppError('invalid_argument', code, message, { details: [{ field, message }] });
