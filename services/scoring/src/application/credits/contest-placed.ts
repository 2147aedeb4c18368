/** A contest's published results: one fact per ranked participant, credited by rank bands. */
import { PermanentEventError } from '@learning/events';
import type { activities } from '@learning/proto';
import {
  campaignOf,
  firstCategory,
  isErasedPerson,
  personPlace,
  required,
  storeAndEvaluate,
  type SourceDeps,
  type SourceEvent,
} from './store-fact.js';

export const recordContestResults =
  (deps: SourceDeps) =>
  async ({ id, data }: SourceEvent<activities.ContestResultsPublished>): Promise<void> => {
    const contestId = required(data.contestId, 'the contest of its results');
    const occurredAt = required(data.publishedAt, 'the time results were published');
    for (const ranking of data.rankings)
      if (ranking.participantId === '' || !Number.isInteger(ranking.rank) || ranking.rank < 1)
        throw new PermanentEventError('a contest ranking without its participant or a rank from 1');
    const category = firstCategory(data.categories);
    const campaignId = campaignOf(data.campaignId);
    for (const ranking of data.rankings) {
      // The others placed are credited; only the erased person's place is not stored again.
      if (await isErasedPerson(deps, ranking.participantId)) continue;
      const place = await personPlace(deps, ranking.participantId);
      await storeAndEvaluate(deps, {
        sourceId: `contest:${contestId}:${ranking.participantId}`,
        source: 'contest_placed',
        holder: { kind: 'person', id: ranking.participantId },
        sourceEventId: id,
        occurredAt,
        category,
        tier: place.tier,
        rank: ranking.rank,
        campaignId,
        jurisdictionPath: place.jurisdictionPath,
        organizationIds: place.organizationIds,
        title: data.title === '' ? contestId : data.title,
      });
    }
  };
