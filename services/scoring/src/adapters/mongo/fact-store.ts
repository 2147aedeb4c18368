/**
 * The facts collection as the credits slice writes it. Attendance and its
 * withdrawal are single-document conditional updates on what was read, so
 * two deliveries racing on one enrollment re-read and decide again instead
 * of overwriting each other.
 */
import { chinaYearOf } from '@learning/domain';
import { isDuplicateKey } from '@learning/mongo';
import type { Model } from 'mongoose';
import type { AttendanceFact, FactStore, Withdrawal } from '../../application/credits/ports.js';
import { holderKey, type CreditFact, type HolderRef } from '../../domain/facts.js';
import type { FactDocument } from './facts.js';

/** Concurrent deliveries of one enrollment are rare; past this, the event is retried later. */
const ATTEMPTS = 5;

const idOf = (holder: HolderRef, sourceId: string): string => `${holderKey(holder)}|${sourceId}`;

export const factOf = (document: FactDocument): CreditFact => ({
  sourceId: document.sourceId,
  source: document.source,
  holder: { kind: document.holderKind, id: document.holderId },
  sourceEventId: document.sourceEventId,
  occurredAt: document.occurredAt,
  year: document.year,
  category: document.category,
  tier: document.tier,
  minutes: document.minutes,
  units: document.units,
  rank: document.rank,
  campaignId: document.campaignId,
  jurisdictionPath: [...document.jurisdictionPath],
  organizationIds: [...document.organizationIds],
  title: document.title,
  withdrawnAt: document.withdrawnAt,
});

function factFields(
  fact: CreditFact,
): Omit<FactDocument, 'receivedAt' | 'reported' | 'attendedAt'> {
  return {
    _id: idOf(fact.holder, fact.sourceId),
    sourceId: fact.sourceId,
    source: fact.source,
    holderKind: fact.holder.kind,
    holderId: fact.holder.id,
    sourceEventId: fact.sourceEventId,
    occurredAt: fact.occurredAt,
    year: fact.year,
    category: fact.category,
    tier: fact.tier,
    minutes: fact.minutes,
    units: fact.units,
    rank: fact.rank,
    campaignId: fact.campaignId,
    jurisdictionPath: [...fact.jurisdictionPath],
    organizationIds: [...fact.organizationIds],
    title: fact.title,
    withdrawnAt: fact.withdrawnAt,
  };
}

/** The fields an update may set: the id never changes. */
const withoutId = ({ _id, ...fields }: FactDocument): Omit<FactDocument, '_id'> => fields;

const later = (a: Date | null, b: Date | null): Date | null =>
  a === null ? b : b === null ? a : a > b ? a : b;

export class MongoFactStore implements FactStore {
  constructor(
    private readonly facts: Model<FactDocument>,
    private readonly clock: () => Date,
  ) {}

  private async insert(document: FactDocument): Promise<boolean> {
    try {
      await this.facts.create(document);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async record(fact: CreditFact): Promise<'stored' | 'known'> {
    const stored = await this.insert({
      ...factFields(fact),
      attendedAt: null,
      reported: true,
      receivedAt: this.clock(),
    });
    return stored ? 'stored' : 'known';
  }

  async recordAttendance({
    fact,
    attendedAt,
  }: AttendanceFact): Promise<{ outcome: 'stored' | 'known'; fact: CreditFact }> {
    const _id = idOf(fact.holder, fact.sourceId);
    const fresh = (): FactDocument => ({
      ...factFields(fact),
      attendedAt,
      reported: true,
      receivedAt: this.clock(),
    });
    // Most attendances are new: insert first, and read only when the id is taken (one round trip, not two).
    const first = fresh();
    if (await this.insert(first)) return { outcome: 'stored', fact: factOf(first) };
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const existing = await this.facts.findById(_id).lean<FactDocument>();
      if (existing === null) {
        const document = fresh();
        if (await this.insert(document)) return { outcome: 'stored', fact: factOf(document) };
        continue;
      }
      const withdrawnAt =
        existing.withdrawnAt !== null && attendedAt > existing.withdrawnAt
          ? null
          : existing.withdrawnAt;
      const latestAttendance = later(existing.attendedAt, attendedAt);
      const unchanged =
        existing.reported &&
        withdrawnAt === existing.withdrawnAt &&
        latestAttendance?.getTime() === existing.attendedAt?.getTime();
      if (unchanged) return { outcome: 'known', fact: factOf(existing) };
      // A stub takes the attendance's details; a known fact keeps its own and only changes state.
      const next: FactDocument = existing.reported
        ? { ...existing, withdrawnAt, attendedAt: latestAttendance }
        : {
            ...existing,
            ...factFields(fact),
            withdrawnAt,
            attendedAt: latestAttendance,
            reported: true,
          };
      const { modifiedCount } = await this.facts.updateOne(
        {
          _id,
          reported: existing.reported,
          withdrawnAt: existing.withdrawnAt,
          attendedAt: existing.attendedAt,
        },
        { $set: withoutId(next) },
      );
      if (modifiedCount === 1)
        return { outcome: existing.reported ? 'known' : 'stored', fact: factOf(next) };
    }
    throw new Error('an attendance fact kept changing under concurrent deliveries');
  }

  async withdraw(withdrawal: Withdrawal): Promise<CreditFact | null> {
    const _id = idOf(withdrawal.holder, withdrawal.sourceId);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const existing = await this.facts.findById(_id).lean<FactDocument>();
      if (existing === null) {
        const occurredAt = withdrawal.attendedAt ?? withdrawal.withdrawnAt;
        const stub: FactDocument = {
          _id,
          sourceId: withdrawal.sourceId,
          source: withdrawal.source,
          holderKind: withdrawal.holder.kind,
          holderId: withdrawal.holder.id,
          sourceEventId: withdrawal.sourceEventId,
          occurredAt,
          year: chinaYearOf(occurredAt),
          category: null,
          tier: null,
          minutes: 0,
          units: 0,
          rank: null,
          campaignId: null,
          jurisdictionPath: [],
          organizationIds: [],
          title: withdrawal.sourceId,
          withdrawnAt: withdrawal.withdrawnAt,
          attendedAt: withdrawal.attendedAt,
          reported: false,
          receivedAt: this.clock(),
        };
        if (await this.insert(stub)) return null;
        continue;
      }
      const reportedFact = existing.reported ? factOf(existing) : null;
      // Recorded again after this withdrawal, or already withdrawn as late: nothing changes.
      if (existing.attendedAt !== null && existing.attendedAt > withdrawal.withdrawnAt)
        return reportedFact;
      if (existing.withdrawnAt !== null && existing.withdrawnAt >= withdrawal.withdrawnAt)
        return reportedFact;
      const { modifiedCount } = await this.facts.updateOne(
        { _id, withdrawnAt: existing.withdrawnAt, attendedAt: existing.attendedAt },
        { $set: { withdrawnAt: withdrawal.withdrawnAt } },
      );
      if (modifiedCount === 1)
        return existing.reported
          ? factOf({ ...existing, withdrawnAt: withdrawal.withdrawnAt })
          : null;
    }
    throw new Error('an attendance fact kept changing under concurrent deliveries');
  }

  async ofHolderYear(holder: HolderRef, year: number): Promise<readonly CreditFact[]> {
    const documents = await this.facts
      .find({ holderKind: holder.kind, holderId: holder.id, year, reported: true })
      .lean<FactDocument[]>();
    return documents.map(factOf);
  }
}
