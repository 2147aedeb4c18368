/** The one mapping of a stored session document to the record every slice reads (session-summary.ts). */
import type { SessionRecord } from '../../application/session-summary.js';
import type { SessionDocument } from './sessions.js';

export const sessionRecordOf = (doc: SessionDocument): SessionRecord => ({
  id: doc._id,
  forumId: doc.forumId,
  leadDepartment: doc.leadDepartment,
  lectureType: doc.lectureType,
  title: doc.title,
  description: doc.description,
  jurisdictionPath: doc.jurisdictionPath,
  venue: {
    id: doc.venue.id,
    name: doc.venue.name,
    address: doc.venue.address ?? null,
    setting: doc.venue.setting,
    townshipCode: doc.venue.townshipCode,
  },
  startsAt: doc.startsAt,
  endsAt: doc.endsAt,
  speakerIds: doc.speakerIds,
  capacity: doc.capacity ?? null,
  signUpOpensAt: doc.signUpOpensAt,
  signUpClosesAt: doc.signUpClosesAt,
  targetTiers: doc.targetTiers,
  categories: doc.categories,
  campaignId: doc.campaignId ?? null,
  liveStreamUrl: doc.liveStreamUrl ?? null,
  status: doc.status,
  version: doc.version,
});
