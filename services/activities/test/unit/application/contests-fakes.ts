/**
 * In-memory ports for the contests use cases: the rules of the real adapters,
 * without Mongo. Registration's and the campaigns' stand-ins are the activities slice's.
 */
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { AppError } from '@learning/errors';
import type { OutboxEntry } from '@learning/events';
import { scopeAllows, type Scope } from '@learning/auth';
import type * as Ports from '../../../src/application/contests/ports.js';
import type { DirectoryParticipant, Participants } from '../../../src/application/ports.js';

const pageOf = <T extends { id: string }>(
  items: T[],
  pageSize: number,
  pageToken: string | undefined,
): Ports.Page<T> => {
  const sorted = items.toSorted((a, b) => (a.id < b.id ? -1 : 1));
  const start = pageToken === undefined ? 0 : sorted.findIndex((item) => item.id > pageToken);
  const from = start < 0 ? sorted.length : start;
  const page = sorted.slice(from, from + pageSize);
  const last = page.at(-1);
  return {
    items: page,
    nextPageToken: from + pageSize < sorted.length && last !== undefined ? last.id : null,
  };
};

const atStage = (contest: Ports.StoredContest, stage: Ports.ContestStage | undefined): boolean => {
  if (stage === undefined) return true;
  if (stage.kind === 'results_published') return contest.status === 'results_published';
  const { opensAt, closesAt } = contest.entryWindow;
  return contest.status === 'open' && opensAt <= stage.at && stage.at < closesAt;
};

export class FakeContests implements Ports.ContestRepository {
  readonly stored = new Map<string, Ports.StoredContest>();
  readonly outbox: OutboxEntry[] = [];

  async get(scope: Scope, id: string): Promise<Ports.StoredContest | null> {
    const contest = this.stored.get(id);
    return contest !== undefined && scopeAllows(scope, contest.jurisdictionPath) ? contest : null;
  }

  async create(_scope: Scope, contest: Ports.NewContest): Promise<Ports.StoredContest> {
    const { events, ...fields } = contest;
    const stored = { ...fields, version: 1 };
    this.stored.set(stored.id, stored);
    this.outbox.push(...events);
    return stored;
  }

  async change(scope: Scope, change: Ports.ContestChange): Promise<Ports.StoredContest> {
    const contest = await this.get(scope, change.id);
    if (contest === null) throw new AppError('not_found', 'CONTEST_NOT_FOUND', 'not found');
    if (contest.version !== change.expectedVersion)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed meanwhile');
    const changed: Ports.StoredContest = {
      ...contest,
      updatedAt: change.updatedAt,
      ...(change.judges === undefined ? {} : { judges: change.judges }),
      ...(change.entryWindow === undefined ? {} : { entryWindow: change.entryWindow }),
      ...(change.publication === undefined
        ? {}
        : {
            status: 'results_published' as const,
            results: change.publication.results,
            publishedAt: change.publication.publishedAt,
          }),
      version: contest.version + 1,
    };
    this.stored.set(change.id, changed);
    this.outbox.push(...change.events);
    return changed;
  }

  async list(scope: Scope, query: Ports.ContestQuery): Promise<Ports.Page<Ports.StoredContest>> {
    const visible = [...this.stored.values()].filter(
      (contest) =>
        scopeAllows(scope, contest.jurisdictionPath) &&
        (query.organizerIds === undefined || query.organizerIds.includes(contest.organizer.id)) &&
        atStage(contest, query.stage),
    );
    return pageOf(visible, query.pageSize, query.pageToken);
  }
}

export class FakeEntries implements Ports.EntryRepository {
  readonly stored = new Map<string, Ports.StoredEntry>();
  readonly outbox: OutboxEntry[] = [];

  async get(scope: Scope, contestId: string, entryId: string): Promise<Ports.StoredEntry | null> {
    const entry = this.stored.get(entryId);
    return entry !== undefined &&
      entry.contestId === contestId &&
      scopeAllows(scope, entry.jurisdictionPath)
      ? entry
      : null;
  }

  async findOf(contestId: string, participantId: string): Promise<Ports.StoredEntry | null> {
    return (
      [...this.stored.values()].find(
        (entry) => entry.contestId === contestId && entry.participantId === participantId,
      ) ?? null
    );
  }

  async create(_scope: Scope, entry: Ports.NewEntry): Promise<Ports.StoredEntry> {
    if ((await this.findOf(entry.contestId, entry.participantId)) !== null)
      throw new AppError('conflict', 'CONTEST_ENTRY_ALREADY_EXISTS', 'entered already');
    const { events, ...fields } = entry;
    const stored = { ...fields, version: 1 };
    this.stored.set(stored.id, stored);
    this.outbox.push(...events);
    return stored;
  }

  async list(scope: Scope, query: Ports.EntryQuery): Promise<Ports.Page<Ports.StoredEntry>> {
    const visible = [...this.stored.values()].filter(
      (entry) =>
        entry.contestId === query.contestId &&
        scopeAllows(scope, entry.jurisdictionPath) &&
        (query.judgeId === undefined || entry.judges.includes(query.judgeId)),
    );
    return pageOf(visible, query.pageSize, query.pageToken);
  }

  async *all(scope: Scope, contestId: string): AsyncIterable<Ports.StoredEntry[]> {
    yield (await this.list(scope, { contestId, pageSize: 10_000 })).items;
  }

  async assign(
    scope: Scope,
    change: Parameters<Ports.EntryRepository['assign']>[1],
  ): Promise<Ports.StoredEntry | null> {
    const entry = await this.get(scope, change.contestId, change.entryId);
    const holds =
      entry !== null &&
      (change.expectedVersion === undefined
        ? entry.judges.length === 0
        : entry.version === change.expectedVersion);
    if (!holds) return null;
    const changed = { ...entry, judges: change.judges, version: entry.version + 1 };
    this.stored.set(entry.id, changed);
    this.outbox.push(...change.events);
    return changed;
  }

  async addScorecard(
    scope: Scope,
    change: Parameters<Ports.EntryRepository['addScorecard']>[1],
  ): Promise<Ports.StoredEntry | null> {
    const entry = await this.get(scope, change.contestId, change.entryId);
    if (
      entry === null ||
      entry.scorecards.some((card) => card.judgeId === change.scorecard.judgeId)
    )
      return null;
    const changed = {
      ...entry,
      scorecards: [...entry.scorecards, change.scorecard],
      version: entry.version + 1,
    };
    this.stored.set(entry.id, changed);
    this.outbox.push(...change.events);
    return changed;
  }
}

export class FakeAttachments implements Ports.AttachmentStore {
  readonly files = new Map<string, { file: Ports.StoredAttachment; bytes: Buffer }>();

  async save(content: Readable, upload: Ports.AttachmentUpload): Promise<Ports.StoredAttachment> {
    const chunks: Buffer[] = [];
    for await (const chunk of content) chunks.push(Buffer.from(chunk as Uint8Array));
    const bytes = Buffer.concat(chunks);
    if (bytes.length > upload.maxBytes)
      throw new AppError('payload_too_large', 'CONTEST_ATTACHMENT_TOO_LARGE', 'too large');
    const file: Ports.StoredAttachment = {
      fileRef: String(this.files.size).padStart(24, '0'),
      fileName: upload.fileName,
      contentType: upload.contentType,
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      attachedTo: upload.attachedTo,
      ownerId: upload.ownerId,
    };
    this.files.set(file.fileRef, { file, bytes });
    return file;
  }

  async find(fileRef: string): Promise<Ports.StoredAttachment | null> {
    return this.files.get(fileRef)?.file ?? null;
  }

  open(fileRef: string): Readable {
    return Readable.from([this.files.get(fileRef)?.bytes ?? Buffer.alloc(0)]);
  }
}

/**
 * Registration's participants: nobody is registered unless a test says so;
 * the one registered with account `x` has the participant id `participant-x`.
 */
export class FakeParticipants implements Participants {
  readonly birthDates = new Map<string, string | null>();
  private participantOf(subject: string): DirectoryParticipant | undefined {
    const birthDate = this.birthDates.get(subject);
    return birthDate === undefined
      ? undefined
      : {
          id: `participant-${subject}`,
          accountSubject: subject,
          name: '小明',
          jurisdictionPath: [],
          birthDate,
          tier: 'ordinary_citizen',
          organizationIds: [],
        };
  }
  async byAccounts(
    subjects: readonly string[],
  ): Promise<ReadonlyMap<string, DirectoryParticipant>> {
    const found = new Map<string, DirectoryParticipant>();
    for (const subject of subjects) {
      const participant = this.participantOf(subject);
      if (participant !== undefined) found.set(subject, participant);
    }
    return found;
  }
  async byIds(ids: readonly string[]): Promise<ReadonlyMap<string, DirectoryParticipant>> {
    const found = new Map<string, DirectoryParticipant>();
    for (const id of ids) {
      const participant = this.participantOf(id.replace(/^participant-/, ''));
      if (participant !== undefined && participant.id === id) found.set(id, participant);
    }
    return found;
  }
}

/** A clock the test moves. */
export function testClock(start: string) {
  let now = new Date(start);
  return {
    clock: () => now,
    set: (iso: string) => {
      now = new Date(iso);
    },
  };
}
