/** In-memory stand-ins for the feedback, attendance and held ports, recording what was written. */
import { auditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { topics, type OutboxEntry } from '@learning/events';
import type {
  AttendanceRecord,
  AttendanceStore,
  FeedbackStanding,
} from '../../../src/application/attendance/ports.js';
import {
  feedbackAlreadyGiven,
  feedbackNotFound,
} from '../../../src/application/feedback/errors.js';
import type {
  ExpertDirectory,
  FeedbackOf,
  FeedbackQuery,
  FeedbackRepository,
  FeedbackReview,
  ForumDirectory,
  ForumManagers,
  NewFeedback,
  Page,
  StoredFeedback,
} from '../../../src/application/feedback/ports.js';
import type { HeldSessions } from '../../../src/application/held/mark-held.js';
import type { SessionDirectory, SessionFacts } from '../../../src/application/session-facts.js';
import { summarize, type CommentStatus, type RatingSummary } from '../../../src/domain/feedback.js';

export const CITY = '330281000000';
export const T1 = '330281001000';
export const T1_V1 = '330281001001';

export const session = (fields: Partial<SessionFacts> = {}): SessionFacts => ({
  id: 's-1',
  forumId: 'f-1',
  leadDepartment: 'xuanchuan-bu',
  lectureType: 'theory',
  title: '乡村振兴讲座',
  startsAt: new Date('2026-04-10T09:00:00Z'),
  endsAt: new Date('2026-04-10T11:00:00Z'),
  jurisdictionPath: [CITY, T1, T1_V1],
  venue: { id: 'v-1', setting: 'countryside', townshipCode: T1 },
  campaignId: null,
  categories: ['political_theory'],
  targetTiers: ['ordinary_citizen'],
  speakerIds: ['e-1', 'e-2'],
  status: 'scheduled',
  ...fields,
});

export const person = (
  subject: string,
  roles: Principal['roles'] = ['participant'],
): Principal => ({
  subject,
  roles,
  cityWide: false,
  jurisdictions: [],
  organizations: [],
});

export const audit = auditTrail('lectures', topics.lecturesAudit);

export class FakeSessions implements SessionDirectory, HeldSessions {
  readonly stored = new Map<string, SessionFacts>();
  readonly held = new Map<string, { count: number; at: Date; events: readonly OutboxEntry[] }>();
  /** Session ids whose mark fails, as a broken write would. */
  readonly failing = new Set<string>();

  constructor(...sessions: SessionFacts[]) {
    for (const found of sessions) this.stored.set(found.id, found);
  }

  async get(id: string): Promise<SessionFacts | null> {
    return this.stored.get(id) ?? null;
  }

  async due(cutoff: Date, limit: number): Promise<SessionFacts[]> {
    return [...this.stored.values()]
      .filter((found) => found.status === 'scheduled' && found.endsAt <= cutoff)
      .sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime())
      .slice(0, limit);
  }

  async markHeld(
    sessionId: string,
    count: number,
    at: Date,
    events: readonly OutboxEntry[],
  ): Promise<boolean> {
    if (this.failing.has(sessionId)) throw new Error('write failed');
    const found = this.stored.get(sessionId);
    if (found?.status !== 'scheduled') return false;
    this.stored.set(sessionId, { ...found, status: 'held' });
    this.held.set(sessionId, { count, at, events });
    return true;
  }
}

export class FakeAttendance implements AttendanceStore {
  readonly records = new Map<string, AttendanceRecord>();

  async add(record: AttendanceRecord): Promise<boolean> {
    const known = [...this.records.values()].some(
      (found) =>
        found.sessionId === record.sessionId && found.accountSubject === record.accountSubject,
    );
    if (this.records.has(record.enrollmentId) || known) return false;
    this.records.set(record.enrollmentId, record);
    return true;
  }

  async remove(enrollmentId: string): Promise<AttendanceRecord | null> {
    const found = this.records.get(enrollmentId) ?? null;
    this.records.delete(enrollmentId);
    return found;
  }

  async attendeeOf(sessionId: string, accountSubject: string): Promise<string | null> {
    const found = [...this.records.values()].find(
      (record) => record.sessionId === sessionId && record.accountSubject === accountSubject,
    );
    return found?.participantId ?? null;
  }

  async countFor(sessionId: string): Promise<number> {
    return [...this.records.values()].filter((found) => found.sessionId === sessionId).length;
  }
}

interface FakeStored extends StoredFeedback {
  readonly accountSubject: string;
}

const matches = (feedback: StoredFeedback, of: FeedbackOf): boolean =>
  'sessionId' in of
    ? feedback.sessionId === of.sessionId
    : 'forumId' in of
      ? feedback.forumId === of.forumId
      : feedback.speakerIds.includes(of.speakerId);

export class FakeFeedback implements FeedbackRepository, FeedbackStanding {
  readonly stored = new Map<string, FakeStored>();
  readonly outbox: OutboxEntry[] = [];

  async add(feedback: NewFeedback): Promise<StoredFeedback> {
    const { events, ...fields } = feedback;
    const taken = [...this.stored.values()].some(
      (found) =>
        found.sessionId === fields.sessionId && found.accountSubject === fields.accountSubject,
    );
    if (taken) throw feedbackAlreadyGiven();
    const stored: FakeStored = { ...fields, review: null, withdrawn: false, version: 1 };
    this.stored.set(stored.id, stored);
    this.outbox.push(...events);
    return stored;
  }

  async get(id: string): Promise<StoredFeedback | null> {
    return this.stored.get(id) ?? null;
  }

  async review(
    feedback: StoredFeedback,
    commentStatus: CommentStatus,
    review: FeedbackReview,
    events: readonly OutboxEntry[],
  ): Promise<StoredFeedback> {
    const current = this.stored.get(feedback.id);
    if (current === undefined) throw feedbackNotFound();
    if (current.version !== feedback.version)
      throw new AppError('aborted', 'VERSION_CONFLICT', 'changed meanwhile');
    const next = { ...current, commentStatus, review, version: current.version + 1 };
    this.stored.set(next.id, next);
    this.outbox.push(...events);
    return next;
  }

  async summary(of: FeedbackOf): Promise<RatingSummary> {
    const counts = new Map<number, number>();
    for (const found of this.stored.values())
      if (!found.withdrawn && matches(found, of))
        counts.set(found.rating, (counts.get(found.rating) ?? 0) + 1);
    return summarize(counts);
  }

  async list(query: FeedbackQuery): Promise<Page<StoredFeedback>> {
    const items = [...this.stored.values()]
      .filter(
        (found) =>
          !found.withdrawn &&
          matches(found, query.of) &&
          (query.flagged === undefined || found.flagged === query.flagged) &&
          (query.commentStatus === undefined || found.commentStatus === query.commentStatus),
      )
      .sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime());
    return { items: items.slice(0, query.pageSize), nextPageToken: null };
  }

  async setWithdrawn(sessionId: string, accountSubject: string, withdrawn: boolean): Promise<void> {
    for (const found of this.stored.values())
      if (found.sessionId === sessionId && found.accountSubject === accountSubject)
        this.stored.set(found.id, { ...found, withdrawn });
  }
}

export class FakeForums implements ForumDirectory {
  constructor(private readonly forums: readonly ForumManagers[]) {}

  async get(id: string): Promise<ForumManagers | null> {
    return this.forums.find((forum) => forum.id === id) ?? null;
  }
}

export class FakeExperts implements ExpertDirectory {
  constructor(private readonly accounts: ReadonlyMap<string, string>) {}

  async exists(id: string): Promise<boolean> {
    return [...this.accounts.values()].includes(id);
  }

  async idOfAccount(accountSubject: string): Promise<string | null> {
    return this.accounts.get(accountSubject) ?? null;
  }
}
