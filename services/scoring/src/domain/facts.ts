/**
 * A credit fact: one thing a person or an organization did that rules may
 * credit, normalized from the event that reported it. Facts are what the
 * ledger is computed from; the ledger itself is append-only (ledger.ts).
 */
import type { ContentCategory, Tier } from '@learning/domain';

export const SOURCE_KINDS = [
  'activity_attended',
  'lecture_attended',
  'training_attended',
  'lesson_completed',
  'contest_placed',
  'book_donated',
  'organization_recognized',
  'activity_organized',
  'training_completed',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const HOLDER_KINDS = ['person', 'organization'] as const;
export type HolderKind = (typeof HOLDER_KINDS)[number];

/** Who a source credits: a participant, or a learning organization (donations, recognition, organizing). */
export const HOLDER_KIND_OF: Readonly<Record<SourceKind, HolderKind>> = {
  activity_attended: 'person',
  lecture_attended: 'person',
  training_attended: 'person',
  lesson_completed: 'person',
  contest_placed: 'person',
  book_donated: 'organization',
  organization_recognized: 'organization',
  activity_organized: 'organization',
  training_completed: 'person',
};

export interface HolderRef {
  readonly kind: HolderKind;
  /** The participant id or the organization id. */
  readonly id: string;
}

export interface CreditFact {
  /**
   * The source's own identity, stable under redelivery and replay:
   * `attendance:<enrollmentId>`, `lesson:<completionId>`,
   * `contest:<contestId>:<participantId>`, `donation:<donationId>`,
   * `recognition:<organizationId>` (once per organization, reinstatements
   * included), `organized:<activityId>`, `training-session:<attendanceId>`,
   * `training-completion:<completionId>`.
   */
  readonly sourceId: string;
  readonly source: SourceKind;
  readonly holder: HolderRef;
  /** The CloudEvents id of the event that reported it. */
  readonly sourceEventId: string;
  /** When it happened: caps and rule versions apply by this time, never by arrival. */
  readonly occurredAt: Date;
  /** The city-calendar year of `occurredAt`. */
  readonly year: number;
  /** The first category the source names (records total by it); null when it names none. */
  readonly category: ContentCategory | null;
  /** The person's tier at the time; null for organizations. */
  readonly tier: Tier | null;
  /** Minutes of learning (attendance, lessons, organized activities); 0 when not counted in time. */
  readonly minutes: number;
  /** Books donated; 1 for a training completion; 0 for other sources. */
  readonly units: number;
  /** Place in a contest's results (1 is first); null for other sources. */
  readonly rank: number | null;
  readonly campaignId: string | null;
  /** The holder's place at the time, from the city down. */
  readonly jurisdictionPath: readonly string[];
  /** The person's organizations at the time; `[id]` for an organization. */
  readonly organizationIds: readonly string[];
  /** A short description for the learning record ("玉海大讲坛：…"). */
  readonly title: string;
  /** Set when the source stopped counting (attendance withdrawn); its credits are reversed. */
  readonly withdrawnAt: Date | null;
}

/** `person:<id>` or `organization:<id>`: one string per holder, for maps and keys. */
export const holderKey = (holder: HolderRef): string => `${holder.kind}:${holder.id}`;
