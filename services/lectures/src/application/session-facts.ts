/**
 * What feedback, attendance and the held marking read of a session, and the
 * `SessionSummary` every session event carries (its routing part: place,
 * forum, lead department), built from it.
 */
import type { ContentCategory, Tier } from '@learning/domain';
import { contentCategoryMapping, tierMapping } from '@learning/contracts';
import { lectures } from '@learning/proto';
import type { LectureType } from '../domain/catalogue.js';
import type { SessionStatus, VenueSetting } from '../domain/sessions.js';

export interface SessionFacts {
  readonly id: string;
  readonly forumId: string;
  readonly leadDepartment: string;
  readonly lectureType: LectureType;
  readonly title: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  /** From the city down to the venue's place. */
  readonly jurisdictionPath: readonly string[];
  readonly townshipCode: string;
  readonly venueId: string;
  readonly venueSetting: VenueSetting;
  readonly campaignId: string | null;
  readonly categories: readonly ContentCategory[];
  readonly targetTiers: readonly Tier[];
  readonly speakerIds: readonly string[];
  readonly status: SessionStatus;
}

/** Sessions by id, as the slices outside scheduling read them. */
export interface SessionDirectory {
  get(id: string): Promise<SessionFacts | null>;
}

const VENUE_SETTINGS: Record<VenueSetting, lectures.VenueSetting> = {
  city: lectures.VenueSetting.VENUE_SETTING_CITY,
  countryside: lectures.VenueSetting.VENUE_SETTING_COUNTRYSIDE,
};

export const sessionSummaryOf = (session: SessionFacts): lectures.SessionSummary => ({
  sessionId: session.id,
  forumId: session.forumId,
  leadDepartment: session.leadDepartment,
  lectureType: session.lectureType,
  title: session.title,
  startsAt: session.startsAt,
  endsAt: session.endsAt,
  jurisdictionPath: [...session.jurisdictionPath],
  townshipCode: session.townshipCode,
  venueSetting: VENUE_SETTINGS[session.venueSetting],
  venueId: session.venueId,
  campaignId: session.campaignId ?? '',
  categories: session.categories.map(contentCategoryMapping.toProto),
  targetTiers: session.targetTiers.map(tierMapping.toProto),
  speakerIds: [...session.speakerIds],
});
