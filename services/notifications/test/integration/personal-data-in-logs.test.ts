/**
 * Personal data never reaches a log line: a participant's phone, e-mail
 * address and WeChat openid travel through the dispatcher to the channel
 * sinks, an officer's duty contact rides in a notice request, and a webhook
 * subscription's signing secret is created, rotated and used to sign; the
 * app's captured log must hold none of them.
 */
import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { call } from '@learning/runtime/testing';
import { describeWithServers, eventually, residentIdNumber } from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
import type { RecipientContact } from '../../src/domain/notices.js';
import type { Platform } from '../../src/platform.js';
import { SMS_PATH, WECHAT_PATH, useNotificationsStack } from '../support/stack.js';

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'notifications keep personal data out of logs',
  (servers) => {
    let platform: Platform | undefined;
    const stack = useNotificationsStack(servers, {
      channelSinks: true,
      modules: [
        (installed) => {
          platform = installed;
        },
      ],
    });
    const run = randomUUID().slice(0, 8);
    const person = {
      subject: `logged-${run}`,
      phone: '13700007311',
      email: `zhang.${run}@example.org`,
      wechatOpenId: `oWx_${run}_openid7Kq`,
      id: '',
    };
    const officer = {
      subject: `duty-${run}`,
      phone: '13900007322',
      email: `duty.${run}@example.gov.cn`,
      wechatOpenId: `oWx_${run}_officer9Zp`,
    };
    const secrets: string[] = [];

    beforeAll(async () => {
      const village = stack.tree.find((node) => node.level === 'village')?.code ?? '';
      const token = await stack.token({ subject: person.subject, roles: ['participant'] });
      const created = await call(stack.registration.base, 'POST', '/v1/participants', token, {
        name: '张三',
        tier: 'ordinary_citizen',
        homeJurisdiction: village,
        idNumber: residentIdNumber('19900101', 731),
        phone: person.phone,
        email: person.email,
        wechatOpenId: person.wechatOpenId,
        language: 'zh-CN',
        consent: { sms: true, email: true, wechat: true },
      });
      expect(created.status).toBe(201);
      person.id = String(created.body['id']);
    });

    const notice = (recipient: string, contact?: RecipientContact) => ({
      noticeId: randomUUID(),
      kind: 'enrollment.confirmed' as const,
      recipient,
      urgent: true,
      variables: {
        title: '书法课',
        startsAt: new Date('2027-01-10T02:00:00Z'),
        endsAt: new Date('2027-01-10T03:00:00Z'),
        venue: '文化站',
      },
      occurredAt: new Date(),
      sender: 'service:activities',
      ...(contact === undefined ? {} : { contact }),
    });

    it('when a consenting participant and an officer with a duty contact are notified and a webhook secret is created, rotated and used, then no address, openid or secret is in any log line', async () => {
      if (platform === undefined) throw new Error('the app has not started');
      await platform.dispatcher.dispatch([
        notice(person.id),
        notice(`officer:${officer.subject}`, {
          language: 'zh-CN',
          phone: officer.phone,
          email: officer.email,
          wechatOpenId: officer.wechatOpenId,
        }),
      ]);
      const office = await stack.token({
        subject: 'office',
        roles: ['city_admin'],
        cityWide: true,
      });
      const subscribed = await call(
        stack.notifications.base,
        'POST',
        '/v1/webhook-subscriptions',
        office,
        {
          url: `${stack.sinks.receiver.url}/hooks/${run}`,
          eventTypes: [activityEvents.ActivityPublished.type],
        },
      );
      expect(subscribed.status).toBe(201);
      secrets.push(String(subscribed.body['secret']));
      const id = (subscribed.body['subscription'] as { id: string }).id;
      const rotated = await call(
        stack.notifications.base,
        'POST',
        `/v1/webhook-subscriptions/${id}/secret/rotate`,
        office,
        { overlapHours: 1 },
      );
      expect(rotated.status).toBe(200);
      secrets.push(String(rotated.body['secret']));
      const tested = await call(
        stack.notifications.base,
        'POST',
        `/v1/webhook-subscriptions/${id}/test`,
        office,
      );
      expect(tested.status).toBeLessThan(300);

      // The addresses did travel: each sink has what was sent to it.
      await eventually(
        'the sinks and the webhook target reached',
        () => {
          const paths = stack.sinks.receiver.requests.map((request) => request.path);
          const mailed = stack.sinks.smtp.messages.flatMap((mail) => mail.to);
          return paths.includes(`/hooks/${run}`) &&
            paths.filter((path) => path === SMS_PATH).length >= 2 &&
            paths.includes(WECHAT_PATH) &&
            mailed.includes(person.email)
            ? true
            : undefined;
        },
        20_000,
      );
      const sent = JSON.stringify(stack.sinks.receiver.requests.map((request) => request.json));
      expect(sent).toContain(person.phone);
      expect(sent).toContain(officer.phone);
      expect(sent).toContain(person.wechatOpenId);

      const logged = stack.notifications.logs.text();
      // The capture sees these flows: the rotation's request is logged.
      expect(logged).toContain('/secret/rotate');
      const personal = [
        person.phone,
        person.email,
        person.wechatOpenId,
        officer.phone,
        officer.email,
        officer.wechatOpenId,
        ...secrets,
        // The key alone, without its whsec_ prefix.
        ...secrets.map((secret) => secret.replace(/^whsec_/, '')),
      ];
      expect(secrets).toHaveLength(2);
      expect(personal.filter((value) => logged.includes(value))).toEqual([]);
    });
  },
);
