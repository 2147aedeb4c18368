/** In-memory ports for the catalogue and expert use cases: what was stored, and the audit records with it. */
import { auditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { topics, type OutboxEntry } from '@learning/events';
import { AppError } from '@learning/errors';
import type {
  Departments,
  DirectoryParticipant,
  Participants,
} from '../../../src/application/ports.js';
import type {
  ForumChange,
  ForumQuery,
  ForumRepository,
  NewForum,
  NewSeries,
  Paged,
  SeriesChange,
  SeriesRepository,
  StoredForum,
  StoredSeries,
} from '../../../src/application/catalogue/ports.js';
import type {
  ExpertChange,
  ExpertQuery,
  ExpertRepository,
  ListedExpert,
  NewExpert,
  StoredExpert,
} from '../../../src/application/experts/ports.js';

export const audit = auditTrail('lectures', topics.lecturesAudit);

export const principal = (
  subject: string,
  roles: Principal['roles'],
  department?: string,
): Principal => ({
  subject,
  roles,
  cityWide: roles.includes('city_admin'),
  jurisdictions: [],
  organizations: [],
  ...(department === undefined ? {} : { department }),
});

export const departments: Departments = {
  async find(codes) {
    const known = ['xuanchuan-bu', 'tuan-shiwei', 'jingmao-ju'];
    return new Map(
      codes.filter((code) => known.includes(code)).map((code) => [code, { code, name: code }]),
    );
  },
};

/** Registration's participants: those with the accounts `subjects`, each with the id `participant-of-<subject>`. */
export const participants = (subjects: readonly string[]): Participants => {
  const registered: DirectoryParticipant[] = subjects.map((subject) => ({
    id: `participant-of-${subject}`,
    accountSubject: subject,
    name: subject,
    jurisdictionPath: ['330281000000'],
    birthDate: null,
    tier: 'ordinary_citizen',
    organizationIds: [],
  }));
  return {
    async byAccounts(asked) {
      return new Map(
        registered
          .filter((p) => asked.includes(p.accountSubject))
          .map((p) => [p.accountSubject, p]),
      );
    },
    async byIds(asked) {
      return new Map(registered.filter((p) => asked.includes(p.id)).map((p) => [p.id, p]));
    },
  };
};

const conflict = (code: string): AppError => new AppError('conflict', code, code);

/** A versioned in-memory store: `writes` counts what changed, `entries` the outbox written. */
class Store<T extends { readonly id: string; readonly version: number }> {
  readonly rows = new Map<string, T>();
  readonly entries: OutboxEntry[] = [];
  writes = 0;

  insert(row: Omit<T, 'version'> & { readonly events: readonly OutboxEntry[] }): T {
    const { events, ...fields } = row;
    const stored = { ...fields, version: 1 } as unknown as T;
    this.rows.set(stored.id, stored);
    this.entries.push(...events);
    this.writes += 1;
    return stored;
  }

  apply(change: {
    id: string;
    expectedVersion: number;
    updatedAt: Date;
    set: object;
    events: readonly OutboxEntry[];
  }): T {
    const row = this.rows.get(change.id);
    if (row === undefined) throw new AppError('not_found', 'NOT_FOUND', 'gone');
    if (row.version !== change.expectedVersion)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed');
    const next = { ...row, ...change.set, updatedAt: change.updatedAt, version: row.version + 1 };
    this.rows.set(change.id, next);
    this.entries.push(...change.events);
    this.writes += 1;
    return next;
  }

  page(items: T[], query: { pageSize: number }): Paged<T> {
    return { items: items.slice(0, query.pageSize), nextPageToken: null };
  }
}

export class FakeSeries extends Store<StoredSeries> implements SeriesRepository {
  async get(id: string) {
    return this.rows.get(id) ?? null;
  }
  async create(series: NewSeries) {
    if ([...this.rows.values()].some((row) => row.name === series.name))
      throw conflict('SERIES_ALREADY_EXISTS');
    return this.insert(series);
  }
  async change(change: SeriesChange) {
    return this.apply(change);
  }
  async list(query: { pageSize: number }) {
    return this.page([...this.rows.values()], query);
  }
}

export class FakeForums extends Store<StoredForum> implements ForumRepository {
  async get(id: string) {
    return this.rows.get(id) ?? null;
  }
  async create(forum: NewForum) {
    return this.insert(forum);
  }
  async change(change: ForumChange) {
    return this.apply(change);
  }
  async search(query: ForumQuery) {
    const { reach } = query;
    return this.page(
      [...this.rows.values()].filter(
        (forum) =>
          (query.status === undefined || forum.status === query.status) &&
          (reach.kind === 'all' ||
            forum.managerSubjects.includes(reach.subject) ||
            (reach.ownerDepartment !== undefined &&
              forum.ownerDepartment === reach.ownerDepartment)),
      ),
      query,
    );
  }
}

export class FakeExperts extends Store<StoredExpert> implements ExpertRepository {
  async get(id: string) {
    return this.rows.get(id) ?? null;
  }
  async byAccount(subject: string) {
    return [...this.rows.values()].find((row) => row.accountSubject === subject) ?? null;
  }
  async create(expert: NewExpert) {
    if ((await this.byAccount(expert.accountSubject)) !== null)
      throw conflict('EXPERT_ALREADY_EXISTS');
    return this.insert(expert);
  }
  async change(change: ExpertChange) {
    return this.apply(change);
  }
  async search(query: ExpertQuery): Promise<Paged<ListedExpert>> {
    return this.page(
      [...this.rows.values()].filter(
        (row) => query.status === undefined || row.status === query.status,
      ),
      query,
    );
  }
}

/** The audit payloads written, oldest first. */
export const auditPayloads = (entries: readonly OutboxEntry[]) =>
  entries.map((entry) => entry.data as { action: string; before: unknown; after: unknown });
