/**
 * The annual awards (评选, policy §5.6, §6.4) and their exemplary cases
 * (§6.3), without I/O: where a round stands on a given day, who may nominate
 * whom, the expert group's recusal, the places an approval may fill, and the
 * consent a published case rests on. Money is integer fen; scores whole points.
 */
import {
  conflict,
  fenOfYuan,
  forbidden,
  invalid,
  partsOf,
  precondition,
  type AwardCategory,
  type CalendarDate,
  type OrganizationKind,
} from '@learning/domain';

export const NOMINEE_KINDS = ['organization', 'person'] as const;
export type NomineeKind = (typeof NOMINEE_KINDS)[number];

/**
 * A round's stored states. Its working phase follows from the day: it takes
 * nominations up to and including `nominationsClose`, then the expert group
 * reviews and the office approves; publication ends it.
 */
export const ROUND_STATUSES = ['open', 'published'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];
export type RoundPhase = 'nominating' | 'reviewing' | 'published';

/** A case is written as a draft, published on consent, and withdrawn (unpublished) when consent is withdrawn. */
export const CASE_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const ROUND_ORGANIZATION_KIND_REQUIRED = 'ROUND_ORGANIZATION_KIND_REQUIRED';
export const ROUND_ORGANIZATION_KIND_NOT_FOR_CATEGORY = 'ROUND_ORGANIZATION_KIND_NOT_FOR_CATEGORY';
export const ROUND_CLOSE_PAST = 'ROUND_CLOSE_PAST';
export const ROUND_CLOSE_NOT_IN_YEAR = 'ROUND_CLOSE_NOT_IN_YEAR';
export const ROUND_AMOUNT_INVALID = 'ROUND_AMOUNT_INVALID';
export const ROUND_FUNDING_LINE_REQUIRED = 'ROUND_FUNDING_LINE_REQUIRED';
export const NOMINATION_CLOSED = 'NOMINATION_CLOSED';
export const NOMINEE_KIND_MISMATCH = 'NOMINEE_KIND_MISMATCH';
export const NOMINATION_ASSESSMENT_NOT_LOCKED = 'NOMINATION_ASSESSMENT_NOT_LOCKED';
export const NOMINATION_STANDARD_NOT_MET = 'NOMINATION_STANDARD_NOT_MET';
export const REVIEW_NOT_OPEN = 'REVIEW_NOT_OPEN';
export const REVIEW_CONFLICT_OF_INTEREST = 'REVIEW_CONFLICT_OF_INTEREST';
export const REVIEW_RECUSED = 'REVIEW_RECUSED';
export const APPROVAL_NOT_OPEN = 'APPROVAL_NOT_OPEN';
export const AWARD_PLACES_EXCEEDED = 'AWARD_PLACES_EXCEEDED';
export const APPROVAL_NOMINATION_UNKNOWN = 'APPROVAL_NOMINATION_UNKNOWN';
export const CASE_CONSENT_MISSING = 'CASE_CONSENT_MISSING';

/** The largest material award a round may name: 1,000,000 yuan, in fen. */
export const MAX_MATERIAL_AWARD_FEN = 100_000_000;

/** "5000.00" or "0" → fen; refused when not a plain decimal of at most two fraction digits within the ceiling. */
export function parseYuan(text: string): number {
  const fen = fenOfYuan(text, MAX_MATERIAL_AWARD_FEN);
  if (fen === undefined)
    throw invalid(
      ROUND_AMOUNT_INVALID,
      'materialAwardYuan must be a decimal of yuan with at most two fraction digits, from "0" to "1000000".',
    );
  return fen;
}

export interface RoundTerms {
  readonly year: number;
  readonly category: AwardCategory;
  readonly organizationKind: OrganizationKind | null;
  readonly nominationsClose: CalendarDate;
  readonly materialAwardFen: number;
  readonly fundingLineId: string | null;
}

/** Refuses terms a round cannot run on, given the city's `today`. */
export function checkRoundTerms(terms: RoundTerms, today: CalendarDate): void {
  if (terms.category === 'exemplary_organization' && terms.organizationKind === null)
    throw invalid(
      ROUND_ORGANIZATION_KIND_REQUIRED,
      'A round of exemplary organizations names the organization kind it is for.',
    );
  if (terms.category !== 'exemplary_organization' && terms.organizationKind !== null)
    throw invalid(
      ROUND_ORGANIZATION_KIND_NOT_FOR_CATEGORY,
      'Only a round of exemplary organizations names an organization kind.',
    );
  const closeYear = partsOf(terms.nominationsClose).year;
  if (terms.nominationsClose < today)
    throw invalid(ROUND_CLOSE_PAST, 'Nominations cannot close before today.');
  // The evaluation of a year closes the year after at the latest, when its figures are final.
  if (closeYear < terms.year || closeYear > terms.year + 1)
    throw invalid(
      ROUND_CLOSE_NOT_IN_YEAR,
      'Nominations close within the round’s year or the year after.',
    );
  if (terms.materialAwardFen > 0 && terms.fundingLineId === null)
    throw invalid(
      ROUND_FUNDING_LINE_REQUIRED,
      'A material award is paid from a funding line: name fundingLineId.',
    );
}

export const phaseOf = (
  round: { readonly status: RoundStatus; readonly nominationsClose: CalendarDate },
  today: CalendarDate,
): RoundPhase =>
  round.status === 'published'
    ? 'published'
    : today <= round.nominationsClose
      ? 'nominating'
      : 'reviewing';

export const nomineeKindOf = (category: AwardCategory): NomineeKind =>
  category === 'exemplary_organization' ? 'organization' : 'person';

/** A nominee as the round sees it: its kind and, for organizations, theirs. */
export interface NomineeFacts {
  readonly kind: NomineeKind;
  readonly organizationKind: OrganizationKind | null;
}

/** Refuses a nomination the round does not take: closed, or of the wrong kind of nominee. */
export function checkNomination(
  round: RoundTerms & { readonly status: RoundStatus },
  nominee: NomineeFacts,
  today: CalendarDate,
): void {
  if (phaseOf(round, today) !== 'nominating')
    throw conflict(NOMINATION_CLOSED, 'The round no longer takes nominations.');
  if (
    nominee.kind !== nomineeKindOf(round.category) ||
    (round.organizationKind !== null && nominee.organizationKind !== round.organizationKind)
  )
    throw invalid(
      NOMINEE_KIND_MISMATCH,
      round.organizationKind === null
        ? 'The round’s category awards persons.'
        : `The round awards organizations of the kind ${round.organizationKind}.`,
    );
}

/** What an organization's nomination cites of its current assessment of the year. */
export interface AssessmentEvidence {
  readonly assessmentId: string;
  readonly locked: boolean;
  readonly passed: boolean;
  /** Hundredths of a point. */
  readonly score: number;
  readonly rank: number;
  readonly rankedOutOf: number;
}

/** An exemplary organization stands on a locked assessment that met the standard (decision 0019, 6). */
export function checkStanding(evidence: AssessmentEvidence | undefined): void {
  if (evidence === undefined || !evidence.locked)
    throw precondition(
      NOMINATION_ASSESSMENT_NOT_LOCKED,
      'An exemplary organization is nominated on its locked assessment of the year; it has none yet.',
    );
  if (!evidence.passed)
    throw precondition(
      NOMINATION_STANDARD_NOT_MET,
      'The organization’s locked assessment of the year did not meet the standard.',
    );
}

/** What an expert is tied to: the organizations they administer or belong to, and their own participant record. */
export interface ExpertTies {
  readonly organizationIds: readonly string[];
  readonly participantId: string | null;
}

/**
 * The recusal rule: an expert scores no nomination of an organization they
 * belong to or administer, nor of themselves, nor one they stood aside from.
 */
export function checkMayReview(
  nomination: {
    readonly nomineeKind: NomineeKind;
    readonly nomineeId: string;
    readonly recusedExpertIds: readonly string[];
  },
  expertId: string,
  ties: ExpertTies,
): void {
  const tied =
    nomination.nomineeKind === 'organization'
      ? ties.organizationIds.includes(nomination.nomineeId)
      : ties.participantId === nomination.nomineeId;
  if (tied)
    throw forbidden(
      REVIEW_CONFLICT_OF_INTEREST,
      'An expert does not score a nomination of their own organization or of themselves.',
    );
  if (nomination.recusedExpertIds.includes(expertId))
    throw forbidden(REVIEW_RECUSED, 'You declared a recusal from this nomination.');
}

export function checkReviewing(phase: RoundPhase): void {
  if (phase !== 'reviewing')
    throw precondition(
      REVIEW_NOT_OPEN,
      'Reviews are taken once nominations have closed and until the round is published.',
    );
}

/**
 * The nominations an approval adds: those not yet approved, refused when they
 * would take the round beyond its places. Approving an approved one again adds nothing.
 */
export function newlyApproved(
  requested: readonly string[],
  approved: readonly string[],
  places: number,
  phase: RoundPhase,
): string[] {
  if (phase !== 'reviewing')
    throw precondition(
      APPROVAL_NOT_OPEN,
      'Awards are approved once nominations have closed and before publication.',
    );
  const added = [...new Set(requested)].filter((id) => !approved.includes(id));
  if (approved.length + added.length > places)
    throw conflict(
      AWARD_PLACES_EXCEEDED,
      `The round has ${String(places)} places and ${String(approved.length)} are taken.`,
    );
  return added;
}

/** A mean of whole-point scores, in hundredths; null before the first review. */
export const meanScore = (scores: readonly number[]): number | null =>
  scores.length === 0
    ? null
    : Math.round((scores.reduce((sum, score) => sum + score, 0) * 100) / scores.length);

/** The consent a case is published on (§6.3): given, by whom, when, and the signed document. */
export interface Consent {
  readonly given: boolean;
  /** The participant id of who consented. */
  readonly by: string;
  readonly recordedOn: CalendarDate;
  readonly documentRef: string;
  readonly withdrawnAt: Date | null;
}

/**
 * A case is published only on a standing consent from the person it is
 * about, or for an organization from one of its admins; a person's signed
 * consent no longer stands once they withdrew publicity in their account.
 */
export function checkConsent(
  consent: Consent | null,
  nominee: { readonly kind: NomineeKind; readonly id: string },
  organizationAdminIds: readonly string[],
  publicityWithdrawn = false,
): void {
  if (nominee.kind === 'person' && publicityWithdrawn)
    throw precondition(
      CASE_CONSENT_MISSING,
      'The person has withdrawn their consent to being published as an exemplary case.',
    );
  const standing =
    consent !== null &&
    consent.given &&
    consent.withdrawnAt === null &&
    consent.documentRef.trim() !== '' &&
    (nominee.kind === 'person'
      ? consent.by === nominee.id
      : organizationAdminIds.includes(consent.by));
  if (!standing)
    throw precondition(
      CASE_CONSENT_MISSING,
      nominee.kind === 'person'
        ? 'A case about a person is published only with that person’s recorded consent.'
        : 'A case about an organization is published only with the recorded consent of one of its admins.',
    );
}
