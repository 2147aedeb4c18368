/** Books an enterprise gave a paired village library: credits the enterprise, per book. */
import { chinaMidnight, DomainError } from '@learning/domain';
import { PermanentEventError } from '@learning/events';
import type { activities } from '@learning/proto';
import {
  firstCategory,
  organizationPlace,
  required,
  storeAndEvaluate,
  type SourceDeps,
  type SourceEvent,
} from './store-fact.js';

function midnightOf(date: string): Date {
  try {
    return chinaMidnight(date);
  } catch (error) {
    if (error instanceof DomainError)
      throw new PermanentEventError('a donation day that is not a date');
    throw error;
  }
}

export const recordBookDonation =
  (deps: SourceDeps) =>
  async ({ id, data }: SourceEvent<activities.BookDonationRecorded>): Promise<void> => {
    const donationId = required(data.donationId, 'the donation');
    const enterpriseId = required(data.enterpriseId, 'the enterprise of a donation');
    if (!Number.isInteger(data.bookCount) || data.bookCount < 1)
      throw new PermanentEventError('a donation of no books');
    // The day the books arrived is what counts; its city midnight places it in a day and year.
    const occurredAt = midnightOf(required(data.donatedOn, 'the day of a donation'));
    const place = await organizationPlace(deps, enterpriseId);
    await storeAndEvaluate(deps, {
      sourceId: `donation:${donationId}`,
      source: 'book_donated',
      holder: { kind: 'organization', id: enterpriseId },
      sourceEventId: id,
      occurredAt,
      category: firstCategory(data.categories),
      units: data.bookCount,
      jurisdictionPath: place.jurisdictionPath,
      organizationIds: place.organizationIds,
      title: `赠书 ${data.bookCount} 册`,
    });
  };
