/**
 * The campaigns slice's codes, each with its kind and meaning
 * (`campaignErrors`; the README's campaign error table is its table), and
 * where the slice turns refusals into AppErrors.
 */
import {
  defineErrorCodes,
  JURISDICTION_UNKNOWN,
  platformErrors,
  type AppError,
} from '@learning/errors';
import {
  CAMPAIGN_ALREADY_ENDED,
  CAMPAIGN_DATES_OFF_RULE,
  CAMPAIGN_DUPLICATE_GOAL,
  CAMPAIGN_DUPLICATE_TIER,
  CAMPAIGN_ENDS_BEFORE_START,
  CAMPAIGN_MANAGE_FORBIDDEN,
  CAMPAIGN_NOT_DRAFT,
  CAMPAIGN_NOT_ENDED,
  CAMPAIGN_NOT_LAUNCHED,
  CAMPAIGN_NOT_RECURRING,
  CAMPAIGN_SUB_CAMPAIGN_OUTSIDE_DATES,
  CAMPAIGN_TIER_NOT_TARGETED,
  CAMPAIGN_YEAR_MISMATCH,
  RECURRENCE_RULE_INVALID,
} from '../../domain/recurrence.js';

export const CAMPAIGN_NOT_FOUND = 'CAMPAIGN_NOT_FOUND';
export const CAMPAIGN_EDITION_EXISTS = 'CAMPAIGN_EDITION_EXISTS';
export const CAMPAIGN_CHANGE_EMPTY = 'CAMPAIGN_CHANGE_EMPTY';

/** Besides these, the platform's codes (libs/errors): JURISDICTION_UNKNOWN, VERSION_CONFLICT, … */
export const campaignErrors = defineErrorCodes({
  [RECURRENCE_RULE_INVALID]: {
    kind: 'invalid_argument',
    when: 'a yearly rule naming days not every year has, or ending before it starts',
  },
  [CAMPAIGN_ENDS_BEFORE_START]: {
    kind: 'invalid_argument',
    when: 'the campaign, or a sub-campaign, ends before it starts',
  },
  [CAMPAIGN_YEAR_MISMATCH]: {
    kind: 'invalid_argument',
    when: 'an edition that starts in another year than its own',
  },
  [CAMPAIGN_DATES_OFF_RULE]: {
    kind: 'invalid_argument',
    when: 'dates that are not the yearly rule’s window in the year of `startsOn`',
  },
  [CAMPAIGN_DUPLICATE_GOAL]: { kind: 'invalid_argument', when: 'two goals for one metric' },
  [CAMPAIGN_DUPLICATE_TIER]: { kind: 'invalid_argument', when: 'two sub-campaigns for one tier' },
  [CAMPAIGN_TIER_NOT_TARGETED]: {
    kind: 'invalid_argument',
    when: 'a sub-campaign for a tier the campaign does not target',
  },
  [CAMPAIGN_SUB_CAMPAIGN_OUTSIDE_DATES]: {
    kind: 'invalid_argument',
    when: 'a sub-campaign outside the campaign’s dates',
  },
  [CAMPAIGN_CHANGE_EMPTY]: { kind: 'invalid_argument', when: 'a change that changes nothing' },
  [CAMPAIGN_MANAGE_FORBIDDEN]: {
    kind: 'permission_denied',
    when: 'not an officer of the owner department (or a city admin)',
  },
  [CAMPAIGN_NOT_FOUND]: {
    kind: 'not_found',
    when: 'no such campaign, or a draft the caller may not see',
  },
  [CAMPAIGN_EDITION_EXISTS]: {
    kind: 'conflict',
    when: 'next year’s edition exists already; the message and details name it',
  },
  [CAMPAIGN_NOT_DRAFT]: { kind: 'failed_precondition', when: 'changing or launching a non-draft' },
  [CAMPAIGN_ALREADY_ENDED]: {
    kind: 'failed_precondition',
    when: 'launching a campaign whose last day has passed',
  },
  [CAMPAIGN_NOT_LAUNCHED]: { kind: 'failed_precondition', when: 'closing a campaign not launched' },
  [CAMPAIGN_NOT_ENDED]: {
    kind: 'failed_precondition',
    when: 'closing before 00:00 China time after the last day',
  },
  [CAMPAIGN_NOT_RECURRING]: {
    kind: 'failed_precondition',
    when: 'a next edition of a one-off campaign',
  },
});

export const campaignNotFound = (): AppError =>
  campaignErrors.error(CAMPAIGN_NOT_FOUND, 'The campaign was not found.');

/** 400: the request names a place that is not in the tree, at `field` (a JSON pointer). */
export const campaignJurisdictionUnknown = (field: string): AppError =>
  platformErrors.error(JURISDICTION_UNKNOWN, 'There is no jurisdiction with that code.', {
    details: [{ field, message: 'is not a known jurisdiction' }],
  });

/** The id is in the message and the details, so a client retrying after a race can open it. */
export const campaignEditionExists = (year: number, existingId: string): AppError =>
  campaignErrors.error(
    CAMPAIGN_EDITION_EXISTS,
    `The ${year} edition of this series already exists: campaign ${existingId}.`,
    { details: [{ field: '/existingCampaignId', message: existingId }] },
  );
