/**
 * What an expert record becomes for each reader: the office and the expert
 * themself (contacts opened), the public (a speaker's profile: no contacts,
 * no participant id, no availability), and the audit log (contacts masked).
 */
import { maskEmail, maskPhone } from '@learning/domain';
import type { PiiVault } from '@learning/pii';
import type { ExpertStatus, TravelRadius } from '../../domain/experts.js';
import type { ExpertProfile, ListedExpert, StoredExpert } from './ports.js';

export interface PublicExpertView {
  readonly id: string;
  readonly displayName: string;
  readonly title: string;
  readonly employer: string;
  readonly fields: string[];
  readonly specialties: string[];
  readonly languages: string[];
  readonly travelRadius: TravelRadius;
}

export interface ListedExpertView extends PublicExpertView {
  readonly accountSubject: string;
  readonly participantId: string;
  readonly availability: { startsAt: string; endsAt: string }[];
  readonly status: ExpertStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export interface ExpertView extends ListedExpertView {
  readonly phone: string | null;
  readonly email: string | null;
}

const profileOf = (expert: ExpertProfile) => ({
  displayName: expert.displayName,
  title: expert.title,
  employer: expert.employer,
  fields: [...expert.fields],
  specialties: [...expert.specialties],
  languages: [...expert.languages],
  travelRadius: expert.travelRadius,
});

export const publicView = (expert: ListedExpert): PublicExpertView => ({
  id: expert.id,
  ...profileOf(expert),
});

/** The office's list: everything but the contacts, which are read one record at a time. */
export const listedView = (expert: ListedExpert): ListedExpertView => ({
  ...publicView(expert),
  accountSubject: expert.accountSubject,
  participantId: expert.participantId,
  availability: expert.availability.map((window) => ({
    startsAt: window.startsAt.toISOString(),
    endsAt: window.endsAt.toISOString(),
  })),
  status: expert.status,
  createdBy: expert.createdBy,
  createdAt: expert.createdAt.toISOString(),
  updatedAt: expert.updatedAt.toISOString(),
  version: expert.version,
});

/** For the office and the expert themself only: the contacts are opened. */
export const fullView = (expert: StoredExpert, vault: PiiVault): ExpertView => ({
  ...listedView(expert),
  phone: expert.phoneSealed === null ? null : vault.decrypt(expert.phoneSealed),
  email: expert.emailSealed === null ? null : vault.decrypt(expert.emailSealed),
});

/** Before/after of an audit record: contacts masked, under names the log redaction leaves readable. */
export const auditView = (
  expert: Omit<StoredExpert, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'createdBy'>,
  vault: PiiVault,
) => ({
  accountSubject: expert.accountSubject,
  participantId: expert.participantId,
  ...profileOf(expert),
  availability: expert.availability.map((window) => ({
    startsAt: window.startsAt.toISOString(),
    endsAt: window.endsAt.toISOString(),
  })),
  phoneMasked: expert.phoneSealed === null ? null : maskPhone(vault.decrypt(expert.phoneSealed)),
  emailMasked: expert.emailSealed === null ? null : maskEmail(vault.decrypt(expert.emailSealed)),
  status: expert.status,
});
