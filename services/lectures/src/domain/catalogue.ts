/**
 * The lecture series (玉海大讲坛) and what classifies a lecture: its sub-forums
 * (人文讲坛, 青年讲坛, 企业家讲坛 and any the office adds) and the five lecture
 * types the policy names (§5.2).
 */

export const LECTURE_TYPES = [
  'development_seminar',
  'theory',
  'history_culture',
  'policy_situation',
  'social_science',
] as const;
export type LectureType = (typeof LECTURE_TYPES)[number];

export const FORUM_STATUSES = ['active', 'retired'] as const;
export type ForumStatus = (typeof FORUM_STATUSES)[number];
