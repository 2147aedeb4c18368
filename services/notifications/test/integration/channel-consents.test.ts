/**
 * Consent per channel: registration's ParticipantConsentChanged (group
 * notifications.consents) stops a channel at once when withdrawn, for new
 * notices and for those already waiting (held for a digest), and a reordered
 * older event changes nothing; given again, the channel sends again.
 */
import { participantEvents } from '@learning/contracts';
import { registration } from '@learning/proto';
import { call } from '@learning/runtime/testing';
import { describeWithServers, residentIdNumber, uniqueName } from '@learning/testing';
import mongoose, { type Connection, type Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  channelConsentsModel,
  type ChannelConsentsDocument,
} from '../../src/adapters/mongo/channel-consents.js';
import { deliveryModel, type DeliveryDocument } from '../../src/adapters/mongo/deliveries.js';
import type { Platform } from '../../src/platform.js';
import { until, useEventProducer } from '../support/events.js';
import { SMS_PATH, useNotificationsStack } from '../support/stack.js';

const { ConsentPurpose } = registration;

describeWithServers(['mongo', 'kafka', 'redis'], 'notifications channel consents', (servers) => {
  const database = uniqueName('notifications-consents');
  let platform: Platform | undefined;
  const stack = useNotificationsStack(servers, {
    channelSinks: true,
    notificationsEnvironment: {
      MONGODB_DATABASE: database,
      SCHEDULER_TICK_MS: String(24 * 3_600_000),
    },
    modules: [
      (installed) => {
        platform = installed;
      },
    ],
  });
  const { produce } = useEventProducer(servers, 'consents-test', '/learning/registration');
  const run = randomUUID().slice(0, 8);
  const person = { subject: `consenting-${run}`, phone: '13700006101', id: '', token: '' };
  let connection: Connection;
  let deliveries: Model<DeliveryDocument>;
  let consents: Model<ChannelConsentsDocument>;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(servers.mongo.uri, { dbName: database })
      .asPromise();
    deliveries = deliveryModel(connection);
    consents = channelConsentsModel(connection);
    const village = stack.tree.find((node) => node.level === 'village')?.code ?? '';
    person.token = await stack.token({ subject: person.subject, roles: ['participant'] });
    const created = await call(stack.registration.base, 'POST', '/v1/participants', person.token, {
      name: '李四',
      tier: 'ordinary_citizen',
      homeJurisdiction: village,
      idNumber: residentIdNumber('19910202', 610),
      phone: person.phone,
      email: `li.${run}@example.org`,
      language: 'zh-CN',
      consent: { sms: true, email: true },
    });
    expect(created.status).toBe(201);
    person.id = String(created.body['id']);
    // Non-urgent notices wait for the daily digest: a withdrawal must reach those too.
    const saved = await call(stack.notifications.base, 'PUT', '/v1/me/preferences', person.token, {
      language: 'zh-CN',
      timeZone: null,
      optOuts: [],
      quietHours: null,
      digest: 'daily',
    });
    expect(saved.status).toBe(200);
  });
  afterAll(async () => {
    await connection.close();
  });

  const dispatch = async (urgent: boolean): Promise<string> => {
    if (platform === undefined) throw new Error('the app has not started');
    const noticeId = randomUUID();
    await platform.dispatcher.dispatch([
      {
        noticeId,
        kind: 'enrollment.confirmed',
        recipient: person.id,
        urgent,
        variables: {
          title: '书法课',
          startsAt: new Date('2027-01-10T02:00:00Z'),
          endsAt: new Date('2027-01-10T03:00:00Z'),
          venue: '文化站',
        },
        occurredAt: new Date(),
        sender: 'service:activities',
      },
    ]);
    return noticeId;
  };
  const statusOf = async (noticeId: string, channel: 'sms' | 'email') => {
    const delivery = await deliveries.findById(`${noticeId}:${person.id}:${channel}`).lean();
    return [delivery?.status, delivery?.reason ?? null, delivery?.sealedAddress !== undefined];
  };
  const smsSent = () =>
    stack.sinks.receiver.requests.filter(
      (request) => request.path === SMS_PATH && JSON.stringify(request.json).includes(person.phone),
    ).length;
  const consentChange = (purpose: registration.ConsentPurpose, given: boolean, version: number) =>
    produce(
      participantEvents.participantConsentChanged,
      person.id,
      registration.ParticipantConsentChanged.fromPartial({
        participantId: person.id,
        purpose,
        given,
        textVersion: '2026-12',
        changedAt: new Date(),
        changedBy: person.subject,
        version: String(version),
      }),
    );
  const kept = async () => (await consents.findById(person.id).lean()) ?? undefined;

  it('when SMS consent is withdrawn, then the waiting SMS is suppressed, a new one is not sent, an older event arriving late changes nothing, and given again it sends', async () => {
    const first = await dispatch(true);
    expect(await statusOf(first, 'sms')).toEqual(['delivered', null, false]);
    expect(smsSent()).toBe(1);
    const waiting = await dispatch(false);
    expect(await statusOf(waiting, 'sms')).toEqual(['held', null, true]);
    expect(await statusOf(waiting, 'email')).toEqual(['held', null, true]);

    await consentChange(ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_SMS, false, 5);
    // Kept first, then what waits is suppressed: the suppression is the end of the handling.
    await until('the withdrawal', async () => (await statusOf(waiting, 'sms'))[0] === 'suppressed');
    expect((await kept())?.sms).toMatchObject({ given: false, version: 5 });
    expect(await statusOf(waiting, 'sms')).toEqual(['suppressed', 'no_consent', false]);
    expect(await statusOf(waiting, 'email')).toEqual(['held', null, true]);
    const afterWithdrawal = await dispatch(true);
    expect(await statusOf(afterWithdrawal, 'sms')).toEqual(['suppressed', 'no_consent', false]);
    expect(await statusOf(afterWithdrawal, 'email')).toEqual(['delivered', null, false]);

    // An older consent (version 3) arrives after the withdrawal (version 5); a later email
    // change on the same partition shows it was handled.
    await consentChange(ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_SMS, true, 3);
    await consentChange(ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_EMAIL, true, 6);
    await until('the later email change', async () => (await kept())?.email?.version === 6);
    expect((await kept())?.sms).toMatchObject({ given: false, version: 5 });
    const afterStale = await dispatch(true);
    expect(await statusOf(afterStale, 'sms')).toEqual(['suppressed', 'no_consent', false]);
    // A publicity consent is scoring's purpose: nothing here changes.
    await consentChange(ConsentPurpose.CONSENT_PURPOSE_PUBLICITY, false, 7);
    expect(smsSent()).toBe(1);

    await consentChange(ConsentPurpose.CONSENT_PURPOSE_NOTIFICATIONS_SMS, true, 8);
    await until('the renewed consent', async () => (await kept())?.sms?.given === true);
    const renewed = await dispatch(true);
    expect(await statusOf(renewed, 'sms')).toEqual(['delivered', null, false]);
    expect(smsSent()).toBe(2);
  });
});
