/** What the awards use cases share. */
import type { AuditTrail } from '@learning/audit';
import type { AssessmentSummaries } from '../evaluation/ports.js';
import type {
  AwardsStore,
  FundingCommitments,
  NomineeDirectory,
  PersonYears,
  PublicAwardPages,
} from './ports.js';

export interface AwardsDeps {
  readonly store: AwardsStore;
  readonly directory: NomineeDirectory;
  readonly personYears: PersonYears;
  readonly assessments: AssessmentSummaries;
  readonly funding: FundingCommitments;
  readonly publicPages: PublicAwardPages;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}
