/**
 * Reading learning records: a person's totals and entries for a year (their
 * own, or someone's they may see), and one page of an organization's current
 * members with each one's totals. Totals are the ledger's sums (MongoBalances
 * and the per-category sums), never a stored balance.
 */
import type { Principal } from '@learning/auth';
import { chinaYearOf, domainCall, type Page } from '@learning/domain';
import { holderKey } from '../../domain/facts.js';
import { checkRecordYear, type RecordEntry, type RecordTotals } from '../../domain/records.js';
import type { Balances, DirectoryParticipant, Organizations, Participants } from '../ports.js';
import { assertMayListMembers, ownParticipant, visibleParticipant } from './access.js';
import { organizationNotFound } from './errors.js';
import type { RecordLedger } from './ports.js';

export interface RecordReadsDeps {
  readonly participants: Participants;
  readonly organizations: Organizations;
  readonly balances: Balances;
  readonly ledger: RecordLedger;
  readonly clock: () => Date;
}

/** Whose record: the caller's own, or a participant's by id. */
export type RecordSubject = { readonly own: true } | { readonly participantId: string };

export interface PageRequest {
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface PersonTotals {
  readonly participant: DirectoryParticipant;
  readonly year: number;
  readonly totals: RecordTotals;
}

export interface MemberCredits {
  readonly participantId: string;
  readonly role: 'member' | 'admin';
  /** Null when registration no longer has the person (left since the page was read). */
  readonly name: string | null;
  readonly totals: Pick<RecordTotals, 'credits' | 'minutes' | 'entries'>;
}

const NO_TOTALS = { credits: 0, minutes: 0, entries: 0 };

export function recordReads(deps: RecordReadsDeps) {
  const { participants, organizations, balances, ledger, clock } = deps;

  /** The year asked for (the current city year when none), checked. */
  const yearOf = (year: number | undefined): number => {
    const current = chinaYearOf(clock());
    return year === undefined ? current : domainCall(() => checkRecordYear(year, current));
  };

  const personOf = (principal: Principal, subject: RecordSubject) =>
    'own' in subject
      ? ownParticipant(participants, principal)
      : visibleParticipant(participants, principal, subject.participantId);

  /** A person's totals, with no check of who asks: the caller has done it. */
  async function totalsFor(participantId: string, year: number): Promise<RecordTotals> {
    const holder = { kind: 'person', id: participantId } as const;
    const [balance, byCategory] = await Promise.all([
      balances.of([holder], year),
      ledger.categoryTotals(holder, year),
    ]);
    return { ...(balance.get(holderKey(holder)) ?? NO_TOTALS), byCategory };
  }

  return {
    yearOf,
    totalsFor,

    /** Whose record and which year, once the caller may see it: for the exports. */
    async whose(
      principal: Principal,
      subject: RecordSubject,
      year: number | undefined,
    ): Promise<{ participant: DirectoryParticipant; year: number }> {
      const checked = yearOf(year);
      return { participant: await personOf(principal, subject), year: checked };
    },

    async totals(
      principal: Principal,
      subject: RecordSubject,
      year: number | undefined,
    ): Promise<PersonTotals> {
      const checked = yearOf(year);
      const participant = await personOf(principal, subject);
      return {
        participant,
        year: checked,
        totals: await totalsFor(participant.id, checked),
      };
    },

    async entries(
      principal: Principal,
      subject: RecordSubject,
      year: number | undefined,
      page: PageRequest,
    ): Promise<{ participant: DirectoryParticipant; year: number; page: Page<RecordEntry> }> {
      const checked = yearOf(year);
      const participant = await personOf(principal, subject);
      return {
        participant,
        year: checked,
        page: await ledger.entriesPage(participant.id, checked, page),
      };
    },

    async membersCredits(
      principal: Principal,
      organizationId: string,
      year: number | undefined,
      page: { readonly size: number; readonly token: string },
    ): Promise<{ year: number; members: MemberCredits[]; nextPageToken: string | null }> {
      const checked = yearOf(year);
      const organization = (await organizations.find([organizationId])).get(organizationId);
      if (organization === undefined) throw organizationNotFound();
      assertMayListMembers(principal, organization);
      const members = await organizations.members(organizationId, page);
      if (members === null) throw organizationNotFound();
      const ids = members.members.map((member) => member.participantId);
      const [people, totals] = await Promise.all([
        participants.byIds(ids),
        balances.of(
          ids.map((id) => ({ kind: 'person', id }) as const),
          checked,
        ),
      ]);
      return {
        year: checked,
        members: members.members.map((member) => ({
          participantId: member.participantId,
          role: member.role,
          name: people.get(member.participantId)?.name ?? null,
          totals: totals.get(holderKey({ kind: 'person', id: member.participantId })) ?? NO_TOTALS,
        })),
        nextPageToken: members.nextPageToken === '' ? null : members.nextPageToken,
      };
    },
  };
}

export type RecordReads = ReturnType<typeof recordReads>;
