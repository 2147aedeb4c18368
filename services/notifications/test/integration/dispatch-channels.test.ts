import { idNumberOf } from '@learning/registration/testing/people';
import { call } from '@learning/runtime/testing';
import { randomUUID } from 'node:crypto';
import { describeWithServers } from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
import type { Platform } from '../../src/platform.js';
import { SMS_PATH, useNotificationsStack } from '../support/stack.js';

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'notifications dispatch to gateways',
  (servers) => {
    let platform: Platform | undefined;
    const stack = useNotificationsStack(servers, {
      channelSinks: true,
      notificationsEnvironment: { SCHEDULER_TICK_MS: String(24 * 3_600_000) },
      modules: [
        (installed) => {
          platform = installed;
        },
      ],
    });
    const run = randomUUID().slice(0, 8);
    const consenting = { subject: `consenting-${run}`, phone: '13700005011', id: '', token: '' };
    const refusing = { subject: `refusing-${run}`, phone: '13700005021', id: '', token: '' };

    beforeAll(async () => {
      const village = stack.tree.find((node) => node.level === 'village')?.code ?? '';
      for (const [index, person] of [consenting, refusing].entries()) {
        person.token = await stack.token({ subject: person.subject, roles: ['participant'] });
        const created = await call(
          stack.registration.base,
          'POST',
          '/v1/participants',
          person.token,
          {
            name: '张三',
            tier: 'ordinary_citizen',
            homeJurisdiction: village,
            idNumber: idNumberOf('19900101', `60${index}`),
            phone: person.phone,
            language: 'zh-CN',
            consent: { notifications: person === consenting },
          },
        );
        expect(created.status).toBe(201);
        person.id = String(created.body['id']);
      }
    });

    it('when a participant consented, then the SMS goes to their registered number once however often the notice is dispatched; without consent it is suppressed', async () => {
      if (platform === undefined) throw new Error('the app has not started');
      const noticeId = randomUUID();
      const requests = [consenting, refusing].map((person) => ({
        noticeId,
        kind: 'enrollment.confirmed' as const,
        recipient: person.id,
        urgent: false,
        variables: {
          title: '书法课',
          startsAt: new Date('2027-01-10T02:00:00Z'),
          endsAt: new Date('2027-01-10T03:00:00Z'),
          venue: '文化站',
        },
        occurredAt: new Date(),
        sender: 'service:activities',
      }));
      await platform.dispatcher.dispatch(requests);
      await platform.dispatcher.dispatch(requests);

      const sms = stack.sinks.receiver.requests.filter((request) => request.path === SMS_PATH);
      expect(sms).toHaveLength(1);
      expect(JSON.stringify(sms[0]?.json)).toContain(consenting.phone);

      const statusOf = async (token: string) =>
        (
          (await call(stack.notifications.base, 'GET', '/v1/me/deliveries', token)).body[
            'items'
          ] as {
            channel: string;
            status: string;
            reason: string | null;
          }[]
        )
          .filter((entry) => entry.channel === 'sms')
          .map(({ status, reason }) => [status, reason]);
      expect(await statusOf(consenting.token)).toEqual([['delivered', null]]);
      expect(await statusOf(refusing.token)).toEqual([['suppressed', 'no_consent']]);
    });
  },
);
