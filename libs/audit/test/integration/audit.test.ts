import { createLocalIssuer, createTokenVerifier, type LocalIssuer, Scope } from '@learning/auth';
import {
  createKafka,
  createProducer,
  deadLetterTopicOf,
  EventConsumer,
  insertWithEvents,
  MongoInbox,
  outboxPlugin,
  OutboxRelay,
  type WithOutbox,
} from '@learning/events';
import { createHttpServer, type HttpServer } from '@learning/http';
import {
  captureLogger,
  createTopic,
  describeWithServers,
  eventually,
  uniqueName,
} from '@learning/testing';
import type { Producer } from 'kafkajs';
import { createConnection, Schema, type Connection, type Model } from 'mongoose';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  actorOf,
  AuditLog,
  auditModel,
  auditSink,
  auditTrail,
  registerAuditRoutes,
  systemActor,
  type AuditTrail,
} from '../../src/index.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T2 = '330281002000';
const RAW_PHONE = '13812345678';

interface Note extends WithOutbox {
  _id: string;
  text: string;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'audit trail', (servers) => {
  const { logger } = captureLogger('audit-test');
  let connection: Connection;
  let notes: Model<Note>;
  let producer: Producer;
  let relay: OutboxRelay;
  let consumer: EventConsumer;
  let trail: AuditTrail;
  let log: AuditLog;
  let http: HttpServer;
  let issuer: LocalIssuer;

  beforeAll(async () => {
    connection = await createConnection(servers.mongo.uri, {
      dbName: uniqueName('audit'),
    }).asPromise();
    const topicName = uniqueName('learning.test.audit');
    const groupId = uniqueName('test.audit');
    await createTopic(servers.kafka, topicName, 3);
    await createTopic(servers.kafka, deadLetterTopicOf(groupId), 1);
    trail = auditTrail('test', { name: topicName, partitions: 3 });

    const noteSchema = new Schema<Note>({ _id: String, text: String });
    noteSchema.plugin(outboxPlugin);
    notes = connection.model<Note>('Note', noteSchema);
    const records = auditModel(connection);
    log = new AuditLog(records, logger);
    await Promise.all([notes.createIndexes(), records.createIndexes()]);

    const kafka = createKafka({ brokers: servers.kafka.brokers, clientId: 'audit-test', logger });
    producer = createProducer(kafka);
    await producer.connect();
    const registry = new Registry();
    relay = new OutboxRelay({
      model: notes as unknown as Model<WithOutbox>,
      producer,
      source: '/test',
      logger,
      registry,
    });
    relay.start();
    consumer = new EventConsumer({
      kafka,
      groupId,
      subscriptions: [auditSink(trail, log)],
      inbox: new MongoInbox(connection, uniqueName('inbox')),
      producer,
      logger,
      registry,
      tuning: { maxWaitTimeInMs: 100, sessionTimeout: 6_000, heartbeatInterval: 500 },
    });
    await consumer.start();

    issuer = await createLocalIssuer({ issuer: 'audit-test', audience: 'audit-test' });
    http = await createHttpServer({
      service: { name: 'audit-test', version: '0.0.0' },
      logger,
      registry: new Registry(),
      auth: createTokenVerifier({
        issuer: 'audit-test',
        audience: 'audit-test',
        jwks: issuer.jwks,
      }),
    });
    registerAuditRoutes(http, log);
    await http.ready();
  });

  afterAll(async () => {
    await http.close();
    await consumer.stop();
    await relay.stop();
    await producer.disconnect();
    await connection.dropDatabase();
    await connection.close();
  });

  /** Writes a note together with its audit record, as a slice writes an aggregate. */
  async function writeNote(township: string, text: string): Promise<string> {
    const id = uniqueName('note');
    const entry = trail.entry({
      actor: actorOf({
        subject: 'officer-1',
        roles: ['area_officer'],
        cityWide: false,
        jurisdictions: [township],
        organizations: [],
      }),
      action: 'note.create',
      entityType: 'note',
      entityId: id,
      jurisdictionPath: [CITY, township],
      before: null,
      after: { text, phone: RAW_PHONE, remark: `call ${RAW_PHONE}` },
      reason: 'a test',
    });
    await notes.create({ _id: id, text, ...insertWithEvents([entry]) });
    relay.notify();
    return id;
  }

  const filed = (scope: Scope, entityId: string) =>
    eventually(`the audit record of ${entityId}`, async () => {
      const page = await log.search(scope, { entityId, pageSize: 10 });
      return page.items.length > 0 ? page.items : undefined;
    });

  it('when a change is written with its record, then the record is filed with actor, action and masked values', async () => {
    const id = await writeNote(T1, 'hello');

    const [record, ...others] = await filed(Scope.cityWide(), id);

    expect(others).toEqual([]);
    expect(record).toMatchObject({
      actor: { subject: 'officer-1', roles: ['area_officer'] },
      action: 'note.create',
      entityType: 'note',
      entityId: id,
      jurisdictionPath: [CITY, T1],
      before: null,
      reason: 'a test',
    });
    expect(JSON.stringify(record)).not.toContain(RAW_PHONE);
    expect(record?.after).toMatchObject({ text: 'hello', phone: '[redacted]' });
  });

  it('when a record is filed again (a redelivery), then the log still holds it once', async () => {
    const id = await writeNote(T1, 'twice');
    const [record] = await filed(Scope.cityWide(), id);
    if (record === undefined) throw new Error('unreachable: filed() waits for a record');

    await log.file([
      {
        id: record.id,
        at: record.at,
        payload: {
          actor: systemActor('replay'),
          action: 'note.overwrite',
          entityType: 'note',
          entityId: id,
          jurisdictionPath: [CITY, T2],
          before: null,
          after: null,
        },
      },
    ]);

    const again = await log.search(Scope.cityWide(), { entityId: id, pageSize: 10 });
    expect(again.items).toHaveLength(1);
    expect(again.items[0]?.action).toBe('note.create');
  });

  it("when an officer of one township reads the log, then another township's records are not there", async () => {
    const inT2 = await writeNote(T2, 'elsewhere');
    await filed(Scope.cityWide(), inT2);

    const seenFromT1 = await log.search(Scope.within([T1]), { entityId: inT2, pageSize: 10 });
    const seenFromT2 = await log.search(Scope.within([T2]), { entityId: inT2, pageSize: 10 });

    expect(seenFromT1.items).toEqual([]);
    expect(seenFromT2.items).toHaveLength(1);
  });

  it('when the log is read over HTTP, then admins page through it newest first and others are refused', async () => {
    const first = await writeNote(T1, 'page-1');
    const second = await writeNote(T1, 'page-2');
    await filed(Scope.cityWide(), first);
    await filed(Scope.cityWide(), second);
    const admin = await issuer.sign({ subject: 'admin', roles: ['city_admin'] });
    const participant = await issuer.sign({ subject: 'someone', roles: ['participant'] });

    const page = await http.inject({
      url: '/v1/audit-log?entityType=note&pageSize=1',
      headers: { authorization: `Bearer ${admin}` },
    });
    const body = page.json<{ items: { entityId: string; at: string }[]; nextPageToken: string }>();
    const next = await http.inject({
      url: `/v1/audit-log?entityType=note&pageSize=1&pageToken=${encodeURIComponent(body.nextPageToken)}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    const refused = await http.inject({
      url: '/v1/audit-log',
      headers: { authorization: `Bearer ${participant}` },
    });
    const backwards = await http.inject({
      url: '/v1/audit-log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      headers: { authorization: `Bearer ${admin}` },
    });
    const hostile = await http.inject({
      url: '/v1/audit-log?entityId[$ne]=x',
      headers: { authorization: `Bearer ${admin}` },
    });

    expect(page.statusCode).toBe(200);
    expect(body.items).toHaveLength(1);
    const nextItems = next.json<{ items: { at: string }[] }>().items;
    expect(nextItems).toHaveLength(1);
    expect(Date.parse(nextItems[0]?.at ?? '')).toBeLessThanOrEqual(
      Date.parse(body.items[0]?.at ?? ''),
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'ROLE_REQUIRED' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ code: 'AUDIT_RANGE_INVALID' });
    expect(hostile.statusCode).toBe(400);
  });
});
