/** Where the campaigns slice turns domain refusals into AppErrors, and the codes it adds. */
import { AppError, JURISDICTION_UNKNOWN } from '@learning/errors';

export const CAMPAIGN_NOT_FOUND = 'CAMPAIGN_NOT_FOUND';
export const CAMPAIGN_EDITION_EXISTS = 'CAMPAIGN_EDITION_EXISTS';
export const CAMPAIGN_CHANGE_EMPTY = 'CAMPAIGN_CHANGE_EMPTY';

export const campaignNotFound = (): AppError =>
  new AppError('not_found', CAMPAIGN_NOT_FOUND, 'The campaign was not found.');

/** 400: the request names a place that is not in the tree, at `field` (a JSON pointer). */
export const campaignJurisdictionUnknown = (field: string): AppError =>
  new AppError(
    'invalid_argument',
    JURISDICTION_UNKNOWN,
    'There is no jurisdiction with that code.',
    { details: [{ field, message: 'is not a known jurisdiction' }] },
  );

/** The id is in the message and the details, so a client retrying after a race can open it. */
export const campaignEditionExists = (year: number, existingId: string): AppError =>
  new AppError(
    'conflict',
    CAMPAIGN_EDITION_EXISTS,
    `The ${year} edition of this series already exists: campaign ${existingId}.`,
    { details: [{ field: '/existingCampaignId', message: existingId }] },
  );
