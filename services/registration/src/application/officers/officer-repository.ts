/** The port officers' duty contacts are stored through, one per token subject. */
import type {
  DirectoryRole,
  OfficerCriteria,
  OfficerLanguage,
  OfficerScope,
} from '../../domain/officers.js';

/** A contact at rest: ciphertext to send to, and the masked form to show. */
export interface SealedContact {
  readonly sealed: string;
  readonly masked: string;
}

export interface StoredOfficer extends OfficerScope {
  readonly subject: string;
  readonly name: string;
  readonly language: OfficerLanguage;
  readonly phone: SealedContact | null;
  readonly email: SealedContact | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface OfficerListQuery {
  readonly role?: DirectoryRole;
  /** Officers holding this very code (or city-wide ones when it is the city's). */
  readonly jurisdictionCode?: string;
  readonly departmentCode?: string;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface OfficerRepository {
  /** Creates or replaces the officer's record; `createdAt` of an existing one is kept. */
  put(officer: StoredOfficer): Promise<StoredOfficer>;
  get(subject: string): Promise<StoredOfficer | null>;
  /** Whether there was one to remove. */
  remove(subject: string): Promise<boolean>;
  list(query: OfficerListQuery): Promise<{ items: StoredOfficer[]; nextPageToken: string | null }>;
  /** Every officer `officerMatches` the criteria. */
  find(criteria: OfficerCriteria): Promise<StoredOfficer[]>;
}
