/**
 * The attendance copy fed by a real registration: a person signs up for a
 * lecture session, an officer confirms their attendance after it, and the
 * AttendanceRecorded registration publishes lets them rate the session here.
 * Registration asks a stand-in for lectures' seating source about the session
 * (a gRPC server of the real contract), so the attendance path is tested on
 * its own.
 */
import { randomUUID } from 'node:crypto';
import { createLocalIssuer, createTokenVerifier } from '@learning/auth';
import { AppError } from '@learning/errors';
import { createGrpcServer, type GrpcServer } from '@learning/grpc';
import { generatePiiEnvironment } from '@learning/pii';
import { common, seating } from '@learning/proto';
import { seedJurisdictions, useRegistrationApp } from '@learning/registration/testing';
import { call, useServiceApp } from '@learning/runtime/testing';
import {
  captureLogger,
  describeWithServers,
  eventually,
  jurisdictionTree,
  residentIdNumber,
  uniqueName,
} from '@learning/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lecturesService } from '../../src/app.js';
import { loadLecturesConfig } from '../../src/config.js';
import {
  CITY,
  insertValid,
  openDatabase,
  sessionDocument,
  T1,
  T1_V1,
} from '../support/feedback-fixtures.js';

const HOUR = 3_600_000;

/**
 * The session as lectures' seating source answers for it: ended, with sign-up still open (late
 * registration of walk-ins), so one answer serves both the sign-up and the attendance registration
 * caches it for.
 */
const seatedSession = (eventId: string, startsAt: Date, endsAt: Date): seating.SeatedEvent => ({
  eventId,
  title: '乡村振兴与共同富裕',
  capacity: 50,
  signUpOpensAt: new Date(startsAt.getTime() - 10 * 24 * HOUR),
  signUpClosesAt: new Date(endsAt.getTime() + 2 * HOUR),
  startsAt,
  endsAt,
  audience: {
    targetTiers: [common.Tier.TIER_ORDINARY_CITIZEN],
    areaRootCodes: [T1],
    pupilAgeBand: undefined,
    organizationIds: [],
  },
  status: seating.SeatedEventStatus.SEATED_EVENT_STATUS_PUBLISHED,
  jurisdictionPath: [CITY, T1, T1_V1],
  organizerOrganizationId: '',
  categories: [common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE],
  campaignId: '',
  learningMinutes: (endsAt.getTime() - startsAt.getTime()) / 60_000,
  sessions: [],
});

describeWithServers(['mongo', 'kafka', 'redis'], 'attendance from registration', (servers) => {
  const seated = new Map<string, seating.SeatedEvent>();
  const seatingSource = { address: '', token: '', server: undefined as GrpcServer | undefined };
  beforeAll(async () => {
    const issuer = await createLocalIssuer({ issuer: 'lectures-seating', audience: 'lectures' });
    const server = createGrpcServer({
      logger: captureLogger('seating').logger,
      registry: new Registry(),
      auth: createTokenVerifier({
        issuer: issuer.issuer,
        audience: issuer.audience,
        jwks: issuer.jwks,
      }),
      readiness: {},
    });
    server.addService(seating.SeatedEventSourceServiceService, {
      async getSeatedEvent(request) {
        const event = seated.get(request.eventId);
        if (event === undefined)
          throw new AppError('not_found', 'SESSION_NOT_FOUND', 'There is no such session.');
        return { event };
      },
    });
    seatingSource.address = `127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
    seatingSource.token = await issuer.sign(
      { subject: 'registration', roles: ['service'], service: 'registration' },
      { expiresIn: '2h' },
    );
    seatingSource.server = server;
  });
  afterAll(async () => {
    await seatingSource.server?.stop(500);
  });

  const registration = useRegistrationApp(servers, () => ({
    SEATING_LECTURES_GRPC_ADDRESS: seatingSource.address,
    SEATING_SERVICE_TOKEN: seatingSource.token,
  }));
  const database = uniqueName('lectures-attendance');
  const lecturesApp = useServiceApp(lecturesService, servers, {
    loadConfig: loadLecturesConfig,
    environment: () => ({
      ...generatePiiEnvironment(),
      MONGODB_DATABASE: database,
      KAFKA_GROUP_NAMESPACE: uniqueName('lectures-attendance'),
      SCHEDULER_TICK_MS: String(60 * 60_000),
    }),
  });
  let db: Awaited<ReturnType<typeof openDatabase>>;
  let admin: string;

  beforeAll(async () => {
    db = await openDatabase(servers.mongo.uri, database);
    admin = await registration.issuer.sign({
      subject: 'city-admin',
      roles: ['city_admin'],
      cityWide: true,
    });
    await seedJurisdictions(
      registration.base,
      admin,
      jurisdictionTree({ townships: 1, villagesPerTownship: 1 }),
    );
  });
  afterAll(async () => {
    await db.connection.close();
  });

  it('when registration confirms a signed-up person attended, then lectures keeps the attendance and the person may rate the session', async () => {
    const subject = `citizen-${randomUUID()}`;
    const citizen = await registration.issuer.sign({ subject, roles: ['participant'] });
    const registered = await call(registration.base, 'POST', '/v1/participants', citizen, {
      name: '李明',
      tier: 'ordinary_citizen',
      homeJurisdiction: T1_V1,
      idNumber: residentIdNumber('19800101', Math.floor(Math.random() * 1000)),
      language: 'zh-CN',
      consent: { notifications: false },
    });
    expect(registered.status).toBe(201);

    const now = Date.now();
    const session = sessionDocument({
      startsAt: new Date(now - 3 * HOUR),
      endsAt: new Date(now - HOUR),
    });
    await insertValid(db.sessions, [session]);
    seated.set(session._id, seatedSession(session._id, session.startsAt, session.endsAt));
    const signedUp = await call(registration.base, 'POST', '/v1/enrollments', citizen, {
      owner: 'lectures',
      eventId: session._id,
    });
    expect(signedUp.status).toBe(201);
    const enrollmentId = String(signedUp.body['id']);
    const confirmed = await call(
      registration.base,
      'POST',
      `/v1/events/lectures/${session._id}/attendance`,
      admin,
      { by: 'officer', enrollmentIds: [enrollmentId] },
    );
    expect(confirmed.body).toMatchObject({ recorded: 1 });

    const copy = await eventually('the attendance copy', () =>
      db.attendance
        .findById(enrollmentId)
        .lean()
        .then((found) => found ?? undefined),
    );
    expect(copy).toMatchObject({
      sessionId: session._id,
      accountSubject: subject,
      townshipCode: T1,
    });
    const rated = await call(
      lecturesApp.base,
      'POST',
      `/v1/sessions/${session._id}/feedback`,
      await lecturesApp.issuer.sign({ subject, roles: ['participant'] }),
      { rating: 5 },
    );
    expect(rated.status).toBe(201);
  });
});
