/** In-memory fakes of the participant ports; the ports are ours, so faking them is safe. */
import { type Principal, scopeAllows, type Scope } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { OutboxEntry } from '@learning/events';
import type { Page } from '@learning/domain';
import type {
  AudienceFilter,
  AudienceMember,
  AudienceSource,
} from '../../../src/application/participants/audience-source.js';
import type {
  NewParticipant,
  ParticipantChange,
  ParticipantRecord,
  ParticipantRepository,
  ParticipantSearch,
} from '../../../src/application/participants/participant-repository.js';

export class FakeParticipantRepository implements ParticipantRepository {
  readonly records = new Map<string, ParticipantRecord>();
  /** Every outbox entry written, in order. */
  readonly written: OutboxEntry[] = [];
  readonly searches: ParticipantSearch[] = [];
  /** Lets a test hold writes until it has started several, to race them. */
  beforeWrite: () => Promise<void> = () => Promise.resolve();

  async byId(scope: Scope, id: string): Promise<ParticipantRecord | null> {
    const record = this.records.get(id);
    return record !== undefined && scopeAllows(scope, record.jurisdictionPath) ? record : null;
  }

  async byIdNumberHash(scope: Scope, hash: string): Promise<ParticipantRecord | null> {
    return this.find(scope, (record) => record.idNumber.hash === hash);
  }

  async byAccount(scope: Scope, accountSubject: string): Promise<ParticipantRecord | null> {
    return this.find(scope, (record) => record.accountSubject === accountSubject);
  }

  async byIds(scope: Scope, ids: readonly string[]): Promise<ParticipantRecord[]> {
    return ids.flatMap((id) => {
      const record = this.records.get(id);
      return record !== undefined && scopeAllows(scope, record.jurisdictionPath) ? [record] : [];
    });
  }

  async recordAccess(scope: Scope, id: string, events: readonly OutboxEntry[]): Promise<boolean> {
    if ((await this.byId(scope, id)) === null) return false;
    this.written.push(...events);
    return true;
  }

  async create(
    scope: Scope,
    participant: NewParticipant,
    events: readonly OutboxEntry[],
  ): Promise<ParticipantRecord | 'duplicate'> {
    await this.beforeWrite();
    if (!scopeAllows(scope, participant.jurisdictionPath))
      throw new AppError('permission_denied', 'OUT_OF_SCOPE', 'outside');
    const clash = [...this.records.values()].some(
      (record) =>
        record.idNumber.hash === participant.idNumber.hash ||
        (participant.accountSubject !== null &&
          record.accountSubject === participant.accountSubject),
    );
    if (clash) return 'duplicate';
    const record = { ...participant, version: 1 };
    this.records.set(record.id, record);
    this.written.push(...events);
    return record;
  }

  async change(
    scope: Scope,
    id: string,
    expectedVersion: number,
    change: ParticipantChange,
    events: readonly OutboxEntry[],
  ): Promise<ParticipantRecord> {
    await this.beforeWrite();
    const record = await this.byId(scope, id);
    if (record === null) throw new AppError('not_found', 'PARTICIPANT_NOT_FOUND', 'missing');
    if (record.version !== expectedVersion)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed');
    // The unique index on the ID number's hash, as the Mongo adapter reports it.
    const newHash = change.idNumber?.hash;
    if (
      newHash !== undefined &&
      [...this.records.values()].some((other) => other.id !== id && other.idNumber.hash === newHash)
    )
      throw new AppError('conflict', 'PARTICIPANT_ALREADY_EXISTS', 'duplicate key');
    const updated = { ...record, ...change, version: record.version + 1 };
    this.records.set(id, updated);
    this.written.push(...events);
    return updated;
  }

  async search(scope: Scope, query: ParticipantSearch): Promise<Page<ParticipantRecord>> {
    this.searches.push(query);
    const items = [...this.records.values()].filter((record) =>
      scopeAllows(scope, record.jurisdictionPath),
    );
    return { items: items.slice(0, query.pageSize), nextCursor: null };
  }

  private find(
    scope: Scope,
    matches: (record: ParticipantRecord) => boolean,
  ): ParticipantRecord | null {
    return (
      [...this.records.values()].find(
        (record) => matches(record) && scopeAllows(scope, record.jurisdictionPath),
      ) ?? null
    );
  }
}

/** Records what it was asked for and yields the given pages. */
export class FakeAudienceSource implements AudienceSource {
  readonly asked: { filter: AudienceFilter; pageSize: number }[] = [];

  constructor(private readonly pagesToYield: AudienceMember[][] = []) {}

  readonly counted: AudienceFilter[] = [];

  async *pages(filter: AudienceFilter, pageSize: number): AsyncGenerator<AudienceMember[]> {
    this.asked.push({ filter, pageSize });
    for (const page of this.pagesToYield) yield page;
  }

  async count(filter: AudienceFilter): Promise<number> {
    this.counted.push(filter);
    return this.pagesToYield.reduce((total, page) => total + page.length, 0);
  }
}

/** A signed-in person. */
export const person = (subject: string): Principal => ({
  subject,
  roles: ['participant'],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
});

/** An area officer of the subtree under `root`. */
export const areaOfficer = (root: string): Principal => ({
  subject: `officer-${root}`,
  roles: ['area_officer'],
  cityWide: false,
  jurisdictions: [root],
  organizations: [],
});
