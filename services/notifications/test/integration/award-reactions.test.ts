/**
 * Scoring's AwardGranted reaching the awarded person: the notice once under
 * redelivery, with the category and year in the title; an organization's
 * award tells no one.
 */
import { evaluationEvents } from '@learning/contracts';
import { scoring } from '@learning/proto';
import { describeWithServers, uniqueName } from '@learning/testing';
import mongoose, { type Connection, type Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deliveryModel, type DeliveryDocument } from '../../src/adapters/mongo/deliveries.js';
import { until, useEventProducer } from '../support/events.js';
import { useNotificationsStack } from '../support/stack.js';

describeWithServers(['mongo', 'kafka', 'redis'], 'notifications: award reactions', (servers) => {
  const database = uniqueName('notifications-awards');
  useNotificationsStack(servers, { notificationsEnvironment: { MONGODB_DATABASE: database } });
  const { produce } = useEventProducer(servers, 'award-reactions-test', '/learning/scoring');
  let connection: Connection;
  let deliveries: Model<DeliveryDocument>;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: database })
      .asPromise();
    deliveries = deliveryModel(connection);
  });
  afterAll(async () => {
    await connection.close();
  });

  const inboxOf = (recipient: string) =>
    deliveries.find({ recipient, channel: 'inbox' }).sort({ createdAt: 1 }).lean();

  const grant = (nomineeId: string, overrides: Partial<scoring.AwardGranted> = {}) =>
    scoring.AwardGranted.fromPartial({
      awardId: randomUUID(),
      nominationId: randomUUID(),
      year: 2026,
      category: scoring.AwardCategory.AWARD_CATEGORY_EXEMPLARY_INDIVIDUAL,
      nomineeKind: scoring.NomineeKind.NOMINEE_KIND_PERSON,
      nomineeId,
      materialAwardYuan: '5000.00',
      grantedAt: new Date(),
      jurisdictionPath: ['330281000000'],
      ...overrides,
    });

  it('when a person is awarded, and the event is delivered again, then their inbox shows the award once, in category awards', async () => {
    const person = randomUUID();
    const id = await produce(evaluationEvents.AwardGranted, person, grant(person));
    await until('the award notice', async () => (await inboxOf(person)).length === 1);

    await produce(evaluationEvents.AwardGranted, person, grant(person), id);
    // A later award on the same key (same partition): once it arrives, the repeat was handled.
    const next = await produce(
      evaluationEvents.AwardGranted,
      person,
      grant(person, { category: scoring.AwardCategory.AWARD_CATEGORY_INNOVATOR }),
    );
    await until('the second award', async () => (await inboxOf(person)).length >= 2);

    const inbox = await inboxOf(person);
    expect(inbox.map((delivery) => [delivery.kind, delivery.noticeId])).toEqual([
      ['award.granted', id],
      ['award.granted', next],
    ]);
    expect(inbox[0]?.title).toContain('学习型社会建设先进个人');
    expect(inbox[0]?.title).toContain('2026');
    expect(inbox[1]?.title).toContain('创新成功者');
  });

  it('when an organization is awarded, then nobody is told', async () => {
    const organization = randomUUID();
    await produce(
      evaluationEvents.AwardGranted,
      organization,
      grant(organization, {
        nomineeKind: scoring.NomineeKind.NOMINEE_KIND_ORGANIZATION,
        category: scoring.AwardCategory.AWARD_CATEGORY_EXEMPLARY_ORGANIZATION,
      }),
    );
    // A person's award after it on the same key: once told, the organization's was handled.
    await produce(evaluationEvents.AwardGranted, organization, grant(organization));
    await until('the later award', async () => (await inboxOf(organization)).length === 1);
    expect((await inboxOf(organization)).map((delivery) => delivery.kind)).toEqual([
      'award.granted',
    ]);
  });
});
