/** What the awards slice stores and asks: rounds, nominations with their reviews, awards, and the funding they draw on. */
import type { AwardCategory, OrganizationKind } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import type {
  AssessmentEvidence,
  NomineeKind,
  RoundStatus,
  RoundTerms,
} from '../../domain/awards.js';

export interface AwardRound extends RoundTerms {
  readonly id: string;
  readonly title: string;
  /** How many awards the office may approve. */
  readonly places: number;
  readonly status: RoundStatus;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly publishedAt: Date | null;
}

/** Who a nomination or an award is about, as registration named and placed them when it was made. */
export interface Nominee {
  readonly kind: NomineeKind;
  readonly id: string;
  /** The full name; public answers mask a person's. */
  readonly name: string;
  readonly organizationKind: OrganizationKind | null;
  readonly leadDepartment: string | null;
  /** An organization's place, or a person's home. */
  readonly jurisdictionPath: readonly string[];
  /** A person's organizations (who may nominate them); empty for an organization. */
  readonly organizationIds: readonly string[];
}

/** A person's year as the ledger tells it. */
export interface PersonYear {
  /** Hundredths of a credit. */
  readonly credits: number;
  readonly minutes: number;
  readonly trainingCompletions: number;
}

export interface Evidence {
  readonly assessment: AssessmentEvidence | null;
  readonly person: PersonYear | null;
}

export interface Review {
  readonly expertId: string;
  /** 0–100, whole points. */
  readonly score: number;
  readonly comment: string;
  readonly reviewedAt: Date;
}

export interface Recusal {
  readonly expertId: string;
  readonly reason: string;
  readonly declaredAt: Date;
}

export interface Nomination {
  readonly id: string;
  readonly roundId: string;
  readonly nominee: Nominee;
  readonly statement: string;
  readonly evidence: Evidence;
  readonly nominatedBy: string;
  readonly reviews: readonly Review[];
  readonly recusals: readonly Recusal[];
  readonly createdAt: Date;
}

export interface Award {
  readonly id: string;
  readonly nominationId: string;
  readonly roundId: string;
  readonly year: number;
  readonly category: AwardCategory;
  readonly organizationKind: OrganizationKind | null;
  readonly nominee: Nominee;
  /** Its place among the round's, from 1: no two approvals can fill the same one. */
  readonly place: number;
  readonly materialAwardFen: number;
  readonly fundingLineId: string | null;
  readonly grantedBy: string;
  readonly grantedAt: Date;
  readonly publishedAt: Date | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Null on the last page. */
  readonly nextPageToken: string | null;
}

export interface PageAsked {
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface RoundQuery extends PageAsked {
  readonly year?: number;
  readonly category?: AwardCategory;
}

export interface PublicAwardQuery extends PageAsked {
  readonly year?: number;
  readonly category?: AwardCategory;
  /** Awards whose nominee is placed in this jurisdiction's subtree. */
  readonly jurisdictionCode?: string;
}

export interface AwardsStore {
  createRound(round: AwardRound, events: readonly OutboxEntry[]): Promise<void>;
  round(id: string): Promise<AwardRound | null>;
  /** The rounds, newest first, of a year and category when given. */
  rounds(query: RoundQuery): Promise<Page<AwardRound>>;
  /** NOMINATION_EXISTS when the round already has a nomination of this nominee. */
  createNomination(nomination: Nomination): Promise<void>;
  nomination(id: string): Promise<Nomination | null>;
  /** Oldest first. */
  nominations(roundId: string, page: PageAsked): Promise<Page<Nomination>>;
  /** Sets the expert's review, replacing their earlier one. */
  saveReview(nominationId: string, review: Review): Promise<Nomination>;
  /** Records the recusal once and drops any review the expert had given. */
  recuse(nominationId: string, recusal: Recusal): Promise<Nomination>;
  awardsOf(roundId: string): Promise<readonly Award[]>;
  /**
   * Inserts the award with its events; nothing when the nomination already has one.
   * VERSION_CONFLICT when another approval took its place meanwhile.
   */
  grant(award: Award, events: readonly OutboxEntry[]): Promise<void>;
  /** Marks the round and its awards published, with the round's audit record; false when it already was. */
  publish(roundId: string, at: Date, events: readonly OutboxEntry[]): Promise<boolean>;
  /** Published awards, newest first. */
  publicAwards(query: PublicAwardQuery): Promise<Page<Award>>;
}

/** Registration's organizations and participants as nominees; undefined when unknown. */
export interface NomineeDirectory {
  find(kind: NomineeKind, id: string): Promise<Nominee | undefined>;
  /** The participant record of an account (a signed-in expert), for the organizations it belongs to. */
  participantOf(
    accountSubject: string,
  ): Promise<{ id: string; organizationIds: readonly string[] } | undefined>;
}

export interface PersonYears {
  of(participantId: string, year: number): Promise<PersonYear>;
}

/** The public award pages, kept in a shared cache. */
export interface PublicAwardPages {
  /** Never fails the change it follows: a page not dropped expires on its own. */
  invalidate(): Promise<void>;
}
