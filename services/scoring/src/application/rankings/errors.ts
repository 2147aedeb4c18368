/**
 * The rankings slice's codes (`rankingErrors`; the README's rankings error
 * table is its table).
 */
import { defineErrorCodes, type AppError } from '@learning/errors';

export const RANKING_NOT_PERMITTED = 'RANKING_NOT_PERMITTED';

export const rankingErrors = defineErrorCodes({
  [RANKING_NOT_PERMITTED]: {
    kind: 'permission_denied',
    when: 'a department officer asking for the areas’ ranking, or any officer without a department or area to read',
  },
});

export const rankingNotPermitted = (): AppError =>
  rankingErrors.error(
    RANKING_NOT_PERMITTED,
    'Department officers export the kinds their department leads; area officers the subjects in their areas.',
  );
