/** What the awards use cases share. */
import type { AuditTrail } from '@learning/audit';
import type { AssessmentSummaries } from '../evaluation/ports.js';
import type { FundingCommitments, FundingLines } from '../funding/ports.js';
import type { AwardsStore, NomineeDirectory, PersonYears, PublicAwardPages } from './ports.js';

export interface AwardsDeps {
  readonly store: AwardsStore;
  readonly directory: NomineeDirectory;
  readonly personYears: PersonYears;
  readonly assessments: AssessmentSummaries;
  /** The funding slice's seam: material awards are committed against its lines. */
  readonly funding: FundingCommitments;
  readonly fundingLines: Pick<FundingLines, 'get'>;
  readonly publicPages: PublicAwardPages;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}
