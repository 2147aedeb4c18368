/**
 * The templates slice's codes, each with its kind and meaning
 * (`templatesErrors`; the README's templates error table is its table).
 */
import { defineErrorCodes, type AppError } from '@learning/errors';
import {
  TEMPLATE_BODY_REQUIRED,
  TEMPLATE_SYNTAX_INVALID,
  TEMPLATE_TAG_NOT_ALLOWED,
  TEMPLATE_TITLE_INVALID,
  TEMPLATE_TOO_LONG,
  TEMPLATE_VARIABLE_UNKNOWN,
  TemplateRefusal,
} from '../../domain/templates.js';

export const TEMPLATE_VERSION_NOT_FOUND = 'TEMPLATE_VERSION_NOT_FOUND';
export const TEMPLATE_VERSION_CURRENT = 'TEMPLATE_VERSION_CURRENT';
export const TEMPLATE_REVISION_INVALID = 'TEMPLATE_REVISION_INVALID';
export const TEMPLATE_PREVIEW_VARIABLE_INVALID = 'TEMPLATE_PREVIEW_VARIABLE_INVALID';
export const TEMPLATE_PREVIEW_SOURCE_INVALID = 'TEMPLATE_PREVIEW_SOURCE_INVALID';

/** Besides these, the platform's codes (libs/errors): VERSION_CONFLICT, CURSOR_INVALID, … */
export const templatesErrors = defineErrorCodes({
  [TEMPLATE_SYNTAX_INVALID]: {
    kind: 'invalid_argument',
    when: 'a title or body that is not a well-formed template (an unclosed {{ tag); the message gives the line and column',
  },
  [TEMPLATE_TAG_NOT_ALLOWED]: {
    kind: 'invalid_argument',
    when: 'a section, inverted section, partial, unescaped variable, comment or delimiter change: only plain {{name}} variables are allowed',
  },
  [TEMPLATE_VARIABLE_UNKNOWN]: {
    kind: 'invalid_argument',
    when: 'a variable the notice kind does not have; the message names it and lists the kind’s variables',
  },
  [TEMPLATE_TOO_LONG]: {
    kind: 'invalid_argument',
    when: 'a title or body longer than its channel allows with sample values filled in (SMS body 70, WeChat title 20 and body 200, email subject 100, inbox title 60); the message gives the limit',
  },
  [TEMPLATE_TITLE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a title on an SMS template (SMS has none), or a blank one on another channel',
  },
  [TEMPLATE_BODY_REQUIRED]: { kind: 'invalid_argument', when: 'a blank body' },
  [TEMPLATE_REVISION_INVALID]: {
    kind: 'invalid_argument',
    when: 'an If-Match that is not the ETag of a revision, such as "3"',
  },
  [TEMPLATE_PREVIEW_VARIABLE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a preview value of the wrong type: a datetime that is not ISO 8601, a number that is not a finite number',
  },
  [TEMPLATE_PREVIEW_SOURCE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a preview naming both a draft (title or body) and a saved version',
  },
  [TEMPLATE_VERSION_NOT_FOUND]: {
    kind: 'not_found',
    when: 'a version the template never had',
  },
  [TEMPLATE_VERSION_CURRENT]: {
    kind: 'failed_precondition',
    when: 'restoring the version already in use',
  },
});

/** Runs a template check; a refusal leaves as its catalogue error, naming the field. */
export function checked<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TemplateRefusal && templatesErrors.has(error.code))
      throw templatesErrors.error(error.code, error.message, {
        details: [{ field: `/${error.field}`, message: error.message }],
      });
    throw error;
  }
}

export const versionNotFound = (version: number): AppError =>
  templatesErrors.error(
    TEMPLATE_VERSION_NOT_FOUND,
    `The template has no version ${String(version)}.`,
  );

export const revisionInvalid = (): AppError =>
  templatesErrors.error(
    TEMPLATE_REVISION_INVALID,
    'If-Match must be the ETag last read, such as "3".',
  );
