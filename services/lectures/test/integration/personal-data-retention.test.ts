/**
 * The retention sweeps (decision 0022) with the app's clock moved 1,000 days
 * ahead: records an hour older than each kind's period are removed or
 * unlinked, records an hour younger stay as they were, and the sweep's
 * figures are in `privacy_retention_removed_total{kind}`. The records are put
 * in place before the app starts, whose first tick sweeps at once.
 */
import { randomUUID } from 'node:crypto';
import { auditModel, type AuditDocument } from '@learning/audit';
import { generatePiiEnvironment } from '@learning/pii';
import { useServiceApp } from '@learning/runtime/testing';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { attendanceModel, type AttendanceDocument } from '../../src/adapters/mongo/attendance.js';
import { type FeedbackDocument } from '../../src/adapters/mongo/feedback.js';
import { feedbackDocumentOf } from '../../src/adapters/mongo/feedback-store.js';
import { progressDocumentOf, progressModel } from '../../src/adapters/mongo/lesson-progress.js';
import { ERASED } from '../../src/adapters/mongo/personal-data.js';
import { lecturesService } from '../../src/app.js';
import { loadLecturesConfig } from '../../src/config.js';
import { expertDocument, insertValid, openDatabase, T1 } from '../support/feedback-fixtures.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MOVED = 1_000 * DAY;
const KEEP_DAYS = 365;
const AUDIT_KEEP_DAYS = 400;

describeWithServers(['mongo', 'kafka', 'redis'], 'retention sweeps in lectures', (servers) => {
  const database = uniqueName('lectures-retention');
  // The app's now; the records are aged against it.
  const appNow = Date.now() + MOVED;
  const older = (days: number) => new Date(appNow - days * DAY - HOUR);
  const younger = (days: number) => new Date(appNow - days * DAY + HOUR);
  let db: Awaited<ReturnType<typeof openDatabase>>;

  const attendance = (attendedAt: Date): AttendanceDocument => ({
    _id: randomUUID(),
    sessionId: randomUUID(),
    participantId: randomUUID(),
    accountSubject: `person-${randomUUID()}`,
    attendedAt,
    townshipCode: T1,
    recordedAt: attendedAt,
  });
  const feedback = (submittedAt: Date): FeedbackDocument => ({
    ...feedbackDocumentOf({
      id: randomUUID(),
      sessionId: randomUUID(),
      forumId: randomUUID(),
      speakerIds: [randomUUID()],
      jurisdictionPath: ['330281000000', T1],
      accountSubject: `person-${randomUUID()}`,
      participantId: randomUUID(),
      rating: 4,
      comment: '很有收获',
      flagged: false,
      commentStatus: 'published',
      submittedAt,
      events: [],
    }),
    version: 1,
  });
  const progress = (lastHeartbeatAt: Date) =>
    progressDocumentOf({
      lessonId: randomUUID(),
      learnerSubject: `person-${randomUUID()}`,
      participantId: randomUUID(),
      jurisdictionPath: ['330281000000', T1],
      lastSequence: 3,
      lastHeartbeatAt,
      positionSeconds: 120,
      creditedSeconds: 110,
      completedAt: null,
      startedAt: lastHeartbeatAt,
    });
  const retiredExpert = (updatedAt: Date) =>
    expertDocument({
      status: 'retired',
      phoneEncrypted: 'sealed-phone',
      emailEncrypted: 'sealed-email',
      availability: [{ startsAt: updatedAt, endsAt: new Date(updatedAt.getTime() + DAY) }],
      updatedAt,
    });
  const audit = (at: Date): AuditDocument => ({
    _id: randomUUID(),
    at,
    actor: { subject: 'city-admin', roles: ['city_admin'] },
    action: 'expert.change',
    entityType: 'expert',
    entityId: randomUUID(),
    before: null,
    after: null,
    jurisdictionPath: ['*'],
    version: 1,
  });

  const oldAttendance = attendance(older(KEEP_DAYS));
  const newAttendance = attendance(younger(KEEP_DAYS));
  const oldFeedback = feedback(older(KEEP_DAYS));
  const newFeedback = feedback(younger(KEEP_DAYS));
  const oldProgress = progress(older(KEEP_DAYS));
  const newProgress = progress(younger(KEEP_DAYS));
  const oldExpert = retiredExpert(older(KEEP_DAYS));
  const newExpert = retiredExpert(younger(KEEP_DAYS));
  const oldAudit = audit(older(AUDIT_KEEP_DAYS));
  const newAudit = audit(younger(AUDIT_KEEP_DAYS));

  // Registered before the app's hooks, so the records are there when its first tick sweeps.
  beforeAll(async () => {
    db = await openDatabase(servers.mongo.uri, database);
    await insertValid(db.attendance, [oldAttendance, newAttendance]);
    await insertValid(db.feedback, [oldFeedback, newFeedback]);
    await insertValid(progressModel(db.connection), [oldProgress, newProgress]);
    await insertValid(db.experts, [oldExpert, newExpert]);
    await insertValid(auditModel(db.connection), [oldAudit, newAudit]);
  });
  const running = useServiceApp(lecturesService, servers, {
    loadConfig: loadLecturesConfig,
    clock: () => new Date(Date.now() + MOVED),
    environment: () => ({
      ...generatePiiEnvironment(),
      MONGODB_DATABASE: database,
      SCHEDULER_TICK_MS: String(60 * 60_000),
      // Ticks fall on multiples of the period and cut off from the tick's time: with a minute's
      // period the cut-off is within a minute of the clock, well inside the records' hour.
      RETENTION_SWEEP_EVERY_MS: '60000',
      ATTENDANCE_RETENTION_DAYS: String(KEEP_DAYS),
      FEEDBACK_RETENTION_DAYS: String(KEEP_DAYS),
      LESSON_PROGRESS_RETENTION_DAYS: String(KEEP_DAYS),
      EXPERT_CONTACT_RETENTION_DAYS: String(KEEP_DAYS),
      AUDIT_RETENTION_DAYS: String(AUDIT_KEEP_DAYS),
    }),
  });
  afterAll(async () => {
    await db.connection.close();
  });

  /** The sweep's figures, by kind, once every kind has been swept. */
  async function sweptFigures(): Promise<Record<string, number>> {
    return eventually('every kind swept', async () => {
      const metrics = await (await running.send('GET', '/metrics', null)).text();
      const figures = Object.fromEntries(
        [...metrics.matchAll(/^privacy_retention_removed_total\{kind="([^"]+)"\} (\d+)$/gm)].map(
          (match) => [match[1] ?? '', Number(match[2])],
        ),
      );
      return Object.keys(figures).length === 5 ? figures : undefined;
    });
  }

  it('when the app sweeps with its clock moved on, then exactly what outlived its period is removed or unlinked, and counted', async () => {
    expect(await sweptFigures()).toEqual({
      'lecture-attendance': 1,
      'session-feedback': 1,
      'lesson-progress': 1,
      'expert-profile': 1,
      'audit-log': 1,
    });

    // Attendance: the old one unlinked (it still counts for coverage), the young one as it was.
    const attended = attendanceModel(db.connection);
    expect(await attended.findById(oldAttendance._id).lean()).toMatchObject({
      participantId: ERASED,
      accountSubject: `${ERASED}:${oldAttendance._id}`,
      townshipCode: T1,
      attendedAt: oldAttendance.attendedAt,
    });
    expect(await attended.findById(newAttendance._id).lean()).toEqual(newAttendance);

    // Feedback: the old rating stays without comment or author.
    const rated = await db.feedback.findById(oldFeedback._id, { outbox: 0 }).lean();
    expect(rated).toMatchObject({ rating: 4, comment: null, commentStatus: 'none' });
    expect(rated?.participantId).toBeUndefined();
    expect(rated?.accountSubject).toBe(`${ERASED}:${oldFeedback._id}`);
    expect(await db.feedback.findById(newFeedback._id, { outbox: 0 }).lean()).toMatchObject({
      comment: '很有收获',
      accountSubject: newFeedback.accountSubject,
      participantId: newFeedback.participantId,
    });

    // Progress: the idle one is gone.
    const progressed = progressModel(db.connection);
    expect(await progressed.exists({ _id: oldProgress._id })).toBeNull();
    expect(await progressed.exists({ _id: newProgress._id })).not.toBeNull();

    // Retired experts: contacts and availability gone from the long-retired one only.
    const contacts = async (id: string) =>
      db.experts
        .findById(id)
        .select('+phoneEncrypted +emailEncrypted')
        .lean()
        .then((doc) => [doc?.phoneEncrypted, doc?.emailEncrypted, doc?.availability.length]);
    expect(await contacts(oldExpert._id)).toEqual([null, null, 0]);
    expect(await contacts(newExpert._id)).toEqual(['sealed-phone', 'sealed-email', 1]);

    // The audit log, by its own period.
    const log = auditModel(db.connection);
    expect(await log.exists({ _id: oldAudit._id })).toBeNull();
    expect(await log.exists({ _id: newAudit._id })).not.toBeNull();
  });
});
