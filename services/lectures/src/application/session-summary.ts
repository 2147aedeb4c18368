/**
 * A session as every slice reads it from the shared `sessions` collection,
 * and the `SessionSummary` every session event (and the programme's gRPC
 * reads) carries: its routing part (the place from the city down, the forum,
 * the lead department). One builder, so the slices cannot route differently.
 */
import type { ContentCategory, Tier } from '@learning/domain';
import { contentCategoryMapping, tierMapping } from '@learning/contracts';
import { lectures } from '@learning/proto';
import type { LectureType } from '../domain/catalogue.js';
import type { Capacity, VenuePlace } from '../domain/scheduling.js';
import type { SessionStatus, VenueSetting } from '../domain/sessions.js';

export interface SessionVenue extends VenuePlace {
  readonly name: string;
  readonly address: string | null;
}

/** The fields of a stored session that scheduling and the programme both read. */
export interface SessionRecord {
  readonly id: string;
  readonly forumId: string;
  readonly leadDepartment: string;
  readonly lectureType: LectureType;
  readonly title: string;
  readonly description: string;
  /** The venue's place, from the city down. */
  readonly jurisdictionPath: readonly string[];
  readonly venue: SessionVenue;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly speakerIds: readonly string[];
  readonly capacity: Capacity;
  readonly signUpOpensAt: Date;
  readonly signUpClosesAt: Date;
  readonly targetTiers: readonly Tier[];
  readonly categories: readonly ContentCategory[];
  readonly campaignId: string | null;
  readonly liveStreamUrl: string | null;
  readonly status: SessionStatus;
  readonly version: number;
}

/** What the summary is made of: any slice's read of a session carries at least this. */
export type SummarySource = Pick<
  SessionRecord,
  | 'id'
  | 'forumId'
  | 'leadDepartment'
  | 'lectureType'
  | 'title'
  | 'startsAt'
  | 'endsAt'
  | 'jurisdictionPath'
  | 'campaignId'
  | 'categories'
  | 'targetTiers'
  | 'speakerIds'
> & { readonly venue: VenuePlace & { readonly name?: string } };

const VENUE_SETTINGS: Readonly<Record<VenueSetting, lectures.VenueSetting>> = {
  city: lectures.VenueSetting.VENUE_SETTING_CITY,
  countryside: lectures.VenueSetting.VENUE_SETTING_COUNTRYSIDE,
};

/**
 * `speakerNames`: the speakers' display names in speaker order, known where
 * the speakers were just checked (scheduling, rescheduling); empty elsewhere.
 */
export const sessionSummaryOf = (
  session: SummarySource,
  speakerNames: readonly string[] = [],
): lectures.SessionSummary => ({
  sessionId: session.id,
  forumId: session.forumId,
  leadDepartment: session.leadDepartment,
  lectureType: session.lectureType,
  title: session.title,
  startsAt: session.startsAt,
  endsAt: session.endsAt,
  jurisdictionPath: [...session.jurisdictionPath],
  townshipCode: session.venue.townshipCode,
  venueSetting: VENUE_SETTINGS[session.venue.setting],
  venueId: session.venue.id,
  campaignId: session.campaignId ?? '',
  categories: session.categories.map((category) => contentCategoryMapping.toProto(category)),
  targetTiers: session.targetTiers.map((tier) => tierMapping.toProto(tier)),
  speakerIds: [...session.speakerIds],
  venueName: session.venue.name ?? '',
  speakerNames: [...speakerNames],
});
