/** In-memory stand-ins of the programme's ports, for its use cases' rules. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AttachmentUpload, StoredAttachment } from '@learning/attachments';
import { auditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { topics, type OutboxEntry } from '@learning/events';
import type {
  ForumFacts,
  MaterialFiles,
  ProgrammeDirectory,
  ProgrammeQuery,
  ProgrammeRepository,
  ProgrammeSession,
  RecordChange,
  SessionPage,
  SpeakerFacts,
  SpeakerQuery,
  StartingQuery,
} from '../../../src/application/programme/ports.js';

export const audit = auditTrail('lectures', topics.lecturesAudit);

export const principal = (
  fields: Partial<Principal> & Pick<Principal, 'subject' | 'roles'>,
): Principal => ({ cityWide: false, jurisdictions: [], organizations: [], ...fields });

export const NOW = new Date('2026-04-10T02:00:00Z');
const HOUR = 3_600_000;

export const session = (overrides: Partial<ProgrammeSession> = {}): ProgrammeSession => ({
  id: 'session-1',
  forumId: 'forum-1',
  leadDepartment: 'xuanchuan-bu',
  lectureType: 'theory',
  title: '理论讲座',
  description: '',
  jurisdictionPath: ['330281000000', '330281001000'],
  venue: {
    id: 'venue-1',
    name: '礼堂',
    address: null,
    setting: 'city',
    townshipCode: '330281001000',
  },
  startsAt: new Date(NOW.getTime() + HOUR),
  endsAt: new Date(NOW.getTime() + 3 * HOUR),
  speakerIds: ['expert-1'],
  capacity: 50,
  signUpOpensAt: new Date(NOW.getTime() - 24 * HOUR),
  signUpClosesAt: new Date(NOW.getTime() + HOUR),
  targetTiers: ['ordinary_citizen'],
  categories: ['political_theory'],
  campaignId: null,
  liveStreamUrl: null,
  materials: [],
  recording: null,
  status: 'scheduled',
  cancellation: null,
  heldAt: null,
  attendanceCount: null,
  version: 1,
  ...overrides,
});

/** Sessions by id; `conflicts` makes that many next writes fail as if someone wrote first. */
export class FakeSessions implements ProgrammeRepository {
  readonly stored = new Map<string, ProgrammeSession>();
  readonly outbox: OutboxEntry[] = [];
  readonly speakerQueries: SpeakerQuery[] = [];
  conflicts = 0;
  page: SessionPage = { items: [], nextPageToken: null };

  constructor(...sessions: ProgrammeSession[]) {
    for (const one of sessions) this.stored.set(one.id, one);
  }

  async get(id: string): Promise<ProgrammeSession | null> {
    return this.stored.get(id) ?? null;
  }

  async listPublic(_query: ProgrammeQuery): Promise<SessionPage> {
    return this.page;
  }

  async listStarting(_query: StartingQuery): Promise<SessionPage> {
    return this.page;
  }

  async listBySpeaker(query: SpeakerQuery): Promise<SessionPage> {
    this.speakerQueries.push(query);
    return this.page;
  }

  async changeRecord(change: RecordChange): Promise<ProgrammeSession> {
    const current = this.stored.get(change.id);
    if (current === undefined) throw new AppError('not_found', 'SESSION_NOT_FOUND', 'none');
    if (this.conflicts > 0) {
      this.conflicts -= 1;
      // Someone else's change lands first: the version moves on.
      this.stored.set(current.id, { ...current, version: current.version + 1 });
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed');
    }
    if (current.version !== change.expectedVersion)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed');
    const materials = [
      ...current.materials.filter((material) => material.fileId !== change.removeFileId),
      ...(change.addMaterial === undefined ? [] : [change.addMaterial]),
    ];
    const changed: ProgrammeSession = {
      ...current,
      materials,
      recording: change.recording ?? current.recording,
      version: current.version + 1,
    };
    this.stored.set(changed.id, changed);
    this.outbox.push(...change.events);
    return changed;
  }
}

export class FakeDirectory implements ProgrammeDirectory {
  constructor(
    readonly forumsById: ReadonlyMap<string, ForumFacts> = new Map([
      ['forum-1', { id: 'forum-1', name: '人文讲坛', managerSubjects: ['manager-1'] }],
    ]),
    readonly experts: ReadonlyMap<string, SpeakerFacts & { subject: string }> = new Map([
      ['expert-1', { id: 'expert-1', displayName: '王教授', title: '教授', subject: 'speaker' }],
      [
        'expert-2',
        { id: 'expert-2', displayName: '李老师', title: '讲师', subject: 'other-expert' },
      ],
    ]),
  ) {}

  async forums(ids: readonly string[]): Promise<ReadonlyMap<string, ForumFacts>> {
    return new Map([...this.forumsById].filter(([id]) => ids.includes(id)));
  }

  async speakers(ids: readonly string[]): Promise<ReadonlyMap<string, SpeakerFacts>> {
    return new Map([...this.experts].filter(([id]) => ids.includes(id)));
  }

  async expertIdOf(subject: string): Promise<string | null> {
    return [...this.experts.values()].find((expert) => expert.subject === subject)?.id ?? null;
  }
}

export class FakeFiles implements MaterialFiles {
  readonly files = new Map<string, { file: StoredAttachment; bytes: Buffer }>();
  readonly removed: string[] = [];

  async save(content: Readable, upload: AttachmentUpload): Promise<StoredAttachment> {
    const chunks: Buffer[] = [];
    for await (const chunk of content) chunks.push(Buffer.from(chunk as Uint8Array));
    const bytes = Buffer.concat(chunks);
    if (bytes.length > upload.maxBytes)
      throw new AppError('payload_too_large', 'MATERIAL_TOO_LARGE', 'too large');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const same = [...this.files.values()].find(
      ({ file }) =>
        file.sha256 === sha256 &&
        file.ownerId === upload.ownerId &&
        file.attachedTo === upload.attachedTo,
    );
    if (same !== undefined) return same.file;
    const file: StoredAttachment = {
      fileRef: String(this.files.size + 1).padStart(24, '0'),
      fileName: upload.fileName,
      contentType: upload.contentType,
      sizeBytes: bytes.length,
      sha256,
      attachedTo: upload.attachedTo,
      ownerId: upload.ownerId,
    };
    this.files.set(file.fileRef, { file, bytes });
    return file;
  }

  async find(fileRef: string): Promise<StoredAttachment | null> {
    return this.files.get(fileRef)?.file ?? null;
  }

  open(fileRef: string): Readable {
    return Readable.from([this.files.get(fileRef)?.bytes ?? Buffer.alloc(0)]);
  }

  async remove(fileRef: string): Promise<void> {
    this.removed.push(fileRef);
    this.files.delete(fileRef);
  }
}

export const bytes = (text: string): Readable => Readable.from([Buffer.from(text)]);
