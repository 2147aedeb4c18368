/** What the cases slice stores and asks: the case documents, the awards they tell of, an organization's admins. */
import type { OutboxEntry } from '@learning/events';
import type { CaseStatus, Consent } from '../../domain/awards.js';
import type { Award, Page, PageAsked } from '../awards/ports.js';

export interface ExemplaryCase {
  readonly id: string;
  readonly award: Pick<Award, 'id' | 'year' | 'category' | 'organizationKind' | 'nominee'>;
  readonly title: string;
  readonly body: string;
  readonly images: readonly { readonly fileRef: string; readonly caption: string }[];
  readonly consent: Consent | null;
  readonly status: CaseStatus;
  readonly publishedAt: Date | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface PublicCaseQuery extends PageAsked {
  readonly year?: number;
  /** An organization kind, or `person`. */
  readonly kind?: string;
  /** Cases whose awardee is placed in this jurisdiction's subtree. */
  readonly jurisdictionCode?: string;
}

export interface CaseChange {
  readonly id: string;
  /** The change applies only from this status: of two at once, one wins. */
  readonly from: CaseStatus;
  readonly status: CaseStatus;
  readonly consent: Consent | null;
  readonly publishedAt: Date | null;
  readonly updatedAt: Date;
  readonly events: readonly OutboxEntry[];
}

export interface CaseStore {
  /** CASE_EXISTS when the award already has its case. */
  create(exemplaryCase: ExemplaryCase, events: readonly OutboxEntry[]): Promise<void>;
  get(id: string): Promise<ExemplaryCase | null>;
  /** The case after the change; null when its status was no longer `from`. */
  change(change: CaseChange): Promise<ExemplaryCase | null>;
  /** Published cases, newest first. */
  published(query: PublicCaseQuery): Promise<Page<ExemplaryCase>>;
  /** The published cases about a person. */
  publishedOfPerson(participantId: string): Promise<readonly ExemplaryCase[]>;
}

/** Whether a person withdrew publicity in their account (registration's consent event). */
export interface PublicityConsents {
  withdrawn(participantId: string): Promise<boolean>;
}

/** Awards as the cases read them. */
export interface AwardReader {
  award(id: string): Promise<Award | null>;
}

/** The participant ids of an organization's admins, from registration. */
export interface OrganizationAdmins {
  of(organizationId: string): Promise<readonly string[]>;
}

/** The public case pages, kept in a shared cache. */
export interface PublicCasePages {
  invalidate(): Promise<void>;
}
