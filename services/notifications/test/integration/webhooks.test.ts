import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import { newEvent, toCloudEvent, toKafkaMessage } from '@learning/events';
import { activities, common } from '@learning/proto';
import { describeWithServers, eventually, uniqueName } from '@learning/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebhookTarget, type WebhookTarget } from '../support/receiver.js';
import { useNotificationsStack } from '../support/stack.js';

interface SubscriptionBody {
  id: string;
  status: string;
  owner: string;
  revision: number;
  filters: { leadDepartments: string[]; jurisdictionCodes: string[] };
  secretsValidUntil: (string | null)[];
}
interface Created {
  subscription: SubscriptionBody;
  secret: string;
}
interface DeliveryBody {
  id: string;
  eventId: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  latencyMs: number | null;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'notifications webhooks', (servers) => {
  // Events of other test files travel on the same topics: this file's carry a department of its own.
  const department = uniqueName('dept').toLowerCase().slice(0, 40);
  const stack = useNotificationsStack(servers, {
    notificationsEnvironment: {
      MONGODB_DATABASE: uniqueName('notifications-webhooks'),
      KAFKA_GROUP_NAMESPACE: uniqueName('notifications-webhooks'),
      WEBHOOK_FIRST_RETRY_MS: '50',
      WEBHOOK_RETRY_WINDOW_MS: '1500',
      WEBHOOK_PAUSE_AFTER: '2',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_MAX_PAYLOAD_BYTES: '2048',
    },
  });
  const app = () => stack.notifications;
  let receiver: WebhookTarget;
  let producer: Producer;
  let admin = '';
  let officer = '';

  beforeAll(async () => {
    receiver = await startWebhookTarget();
    producer = new Kafka({ brokers: servers.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    admin = await stack.token({ subject: 'office', roles: ['city_admin'], cityWide: true });
    officer = await stack.token({
      subject: 'dept-officer',
      roles: ['department_officer'],
      department,
    });
  });

  afterAll(async () => {
    await producer.disconnect();
    await receiver.close();
  });

  const village = () => stack.tree.find((node) => node.level === 'village');

  async function publish(
    key: string,
    options: { id?: string; title?: string } = {},
  ): Promise<string> {
    const entry = newEvent(
      activityEvents.ActivityPublished,
      key,
      activities.ActivityPublished.fromPartial({
        activityId: key,
        title: options.title ?? 'Reading club',
        kind: 'lecture',
        organizationKind: common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE,
        leadDepartment: department,
        jurisdictionPath: village()?.path ?? [],
        publishedAt: new Date(),
      }),
    );
    const id = options.id ?? entry.id;
    await producer.send({
      topic: activityEvents.ActivityPublished.topic.name,
      messages: [toKafkaMessage(toCloudEvent({ ...entry, id }, '/learning/activities'))],
    });
    return id;
  }

  async function subscribe(path: string, token = officer, extra: object = {}): Promise<Created> {
    const response = await app().send('POST', '/v1/webhook-subscriptions', token, {
      url: `${receiver.base}${path}`,
      eventTypes: [activityEvents.ActivityPublished.type],
      ...(token === admin ? { filters: { leadDepartments: [department] } } : {}),
      ...extra,
    });
    expect(response.status).toBe(201);
    return (await response.json()) as Created;
  }

  const idsAt = (path: string) =>
    receiver.callsTo(path).map((call) => (call.json as { id: string }).id);

  async function deliveries(id: string, query = ''): Promise<DeliveryBody[]> {
    const response = await app().send(
      'GET',
      `/v1/webhook-subscriptions/${id}/deliveries${query}`,
      officer,
    );
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: DeliveryBody[] }).items;
  }

  it('when an event matches, then the receiver gets a CloudEvent that the standardwebhooks library verifies with the secret', async () => {
    const { subscription, secret } = await subscribe('/signed');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(subscription.filters.leadDepartments).toEqual([department]);

    const eventId = await publish(`activity-${randomUUID()}`);

    const [call] = await eventually('the signed call', () =>
      receiver.callsTo('/signed').length > 0 ? receiver.callsTo('/signed') : undefined,
    );
    const headers = call?.headers as Record<string, string>;
    expect(headers['webhook-id']).toBe(eventId);
    expect(headers['content-type']).toBe('application/cloudevents+json');
    const verified = new Webhook(secret).verify(call?.body.toString('utf8') ?? '', headers) as {
      id: string;
      type: string;
      specversion: string;
      data: { leadDepartment: string };
    };
    expect(verified).toMatchObject({
      id: eventId,
      type: activityEvents.ActivityPublished.type,
      specversion: '1.0',
      data: { leadDepartment: department },
    });
    expect(() =>
      new Webhook(`whsec_${Buffer.from('another secret!!').toString('base64')}`).verify(
        call?.body.toString('utf8') ?? '',
        headers,
      ),
    ).toThrow();
    const [logged] = await eventually('the delivered log entry', async () => {
      const items = await deliveries(subscription.id);
      return items[0]?.status === 'delivered' ? items : undefined;
    });
    expect(logged).toMatchObject({ eventId, attempts: 1, lastStatus: 200, lastError: null });
    expect(logged?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('when the secret is rotated, then deliveries in the overlap carry two signatures, each verifying with its secret', async () => {
    const { subscription, secret: old } = await subscribe('/rotated');
    const rotated = await app().send(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/secret/rotate`,
      officer,
      { overlapHours: 1 },
    );
    expect(rotated.status).toBe(200);
    const { secret: fresh, subscription: after } = (await rotated.json()) as Created;
    expect(fresh).not.toBe(old);
    expect(after.secretsValidUntil).toHaveLength(2);
    expect(after.secretsValidUntil[1]).toBeNull();

    await publish(`activity-${randomUUID()}`);

    const [call] = await eventually('the rotated call', () =>
      receiver.callsTo('/rotated').length > 0 ? receiver.callsTo('/rotated') : undefined,
    );
    const headers = call?.headers as Record<string, string>;
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(() => new Webhook(old).verify(call?.body.toString('utf8') ?? '', headers)).not.toThrow();
    expect(() =>
      new Webhook(fresh).verify(call?.body.toString('utf8') ?? '', headers),
    ).not.toThrow();
  });

  it('when the receiver fails twice, then the delivery is retried and succeeds on the third attempt', async () => {
    const { subscription } = await subscribe('/flaky');
    receiver.answer('/flaky', 503, 500);

    const eventId = await publish(`activity-${randomUUID()}`);

    const [logged] = await eventually('the delivery after retries', async () => {
      const items = await deliveries(subscription.id);
      return items[0]?.status === 'delivered' ? items : undefined;
    });
    expect(logged).toMatchObject({ eventId, attempts: 3, lastStatus: 200 });
    expect(idsAt('/flaky')).toEqual([eventId, eventId, eventId]);
  });

  it('when events of one key meet a failing first call, then they still arrive in order', async () => {
    await subscribe('/ordered');
    receiver.answer('/ordered', 500, 500);
    const key = `activity-${randomUUID()}`;

    const sent: string[] = [];
    for (let index = 0; index < 3; index += 1) sent.push(await publish(key));

    await eventually('three distinct deliveries', () =>
      new Set(idsAt('/ordered')).size === 3 ? true : undefined,
    );
    const firstSeen = [...new Set(idsAt('/ordered'))];
    expect(firstSeen).toEqual(sent);
    expect(idsAt('/ordered').slice(0, 3)).toEqual([sent[0], sent[0], sent[0]]);
  });

  it('when the same event is published twice, then it is queued and delivered once', async () => {
    const { subscription } = await subscribe('/once');
    const id = randomUUID();
    const key = `activity-${randomUUID()}`;
    await publish(key, { id });
    await publish(key, { id });
    const marker = await publish(key);

    await eventually('the marker after the repeat', () =>
      idsAt('/once').includes(marker) ? true : undefined,
    );
    expect(idsAt('/once')).toEqual([id, marker]);
    expect((await deliveries(subscription.id)).map((item) => item.eventId).sort()).toEqual(
      [id, marker].sort(),
    );
  });

  it('when deliveries keep failing, then each is dead-lettered, the subscription pauses, resumes, and a failed one is sent again by hand', async () => {
    const { subscription } = await subscribe('/down');
    receiver.always('/down', 500);
    const first = await publish(`activity-${randomUUID()}`);
    const second = await publish(`activity-${randomUUID()}`);

    const paused = await eventually(
      'the pause',
      async () => {
        const response = await app().send(
          'GET',
          `/v1/webhook-subscriptions/${subscription.id}`,
          officer,
        );
        const body = (await response.json()) as SubscriptionBody;
        return body.status === 'paused' ? body : undefined;
      },
      20_000,
    );
    expect(paused.status).toBe('paused');
    const failed = await deliveries(subscription.id, '?status=failed');
    expect(failed.map((item) => item.eventId).sort()).toEqual([first, second].sort());
    expect(failed[0]).toMatchObject({ lastStatus: 500, lastError: 'HTTP 500' });

    // Queued while paused: held, not called.
    const third = await publish(`activity-${randomUUID()}`);
    await eventually('the held delivery', async () =>
      (await deliveries(subscription.id, '?status=held')).length === 1 ? true : undefined,
    );
    const callsWhilePaused = receiver.callsTo('/down').length;
    expect(idsAt('/down')).not.toContain(third);

    receiver.always('/down', 200);
    const resumed = await app().send(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/resume`,
      officer,
    );
    expect(resumed.status).toBe(200);
    await eventually('the held delivery sent', () =>
      idsAt('/down').includes(third) ? true : undefined,
    );
    expect(receiver.callsTo('/down').length).toBeGreaterThan(callsWhilePaused);

    const again = await app().send(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/deliveries/${subscription.id}:${first}/redeliver`,
      officer,
    );
    expect(again.status).toBe(202);
    await eventually('the redelivered one delivered', async () => {
      const items = await deliveries(subscription.id);
      return items.find((item) => item.eventId === first)?.status === 'delivered'
        ? true
        : undefined;
    });
    const resumedAgain = await app().send(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/resume`,
      officer,
    );
    expect(resumedAgain.status).toBe(409);
    expect(((await resumedAgain.json()) as { code: string }).code).toBe('SUBSCRIPTION_NOT_PAUSED');
  });

  it('when an event is larger than allowed, then it is recorded PAYLOAD_TOO_LARGE and never called', async () => {
    const { subscription } = await subscribe('/large');
    const big = await publish(`activity-${randomUUID()}`, { title: 'x'.repeat(3_000) });
    const small = await publish(`activity-${randomUUID()}`);

    await eventually('the small one', () => (idsAt('/large').includes(small) ? true : undefined));
    const failed = await eventually('the refused one', async () => {
      const items = await deliveries(subscription.id, '?status=failed');
      return items.length === 1 ? items : undefined;
    });
    expect(failed[0]).toMatchObject({ eventId: big, attempts: 0, lastError: 'PAYLOAD_TOO_LARGE' });
    expect(idsAt('/large')).not.toContain(big);
  });

  it('when a ping is asked, then it is delivered and logged', async () => {
    const { subscription } = await subscribe('/ping');
    const response = await app().send(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/test`,
      officer,
    );
    expect(response.status).toBe(202);
    const queued = (await response.json()) as DeliveryBody;

    await eventually('the ping', () =>
      idsAt('/ping').includes(queued.eventId) ? true : undefined,
    );
    const body = receiver.callsTo('/ping')[0]?.json as { type: string };
    expect(body.type).toBe('notifications.webhook.ping.v1');
  });

  it('when subscriptions are listed, read, changed and deleted, then owners see their own and the office sees all', async () => {
    const { subscription } = await subscribe('/crud');
    const byOffice = await subscribe('/crud-office', admin);
    expect(byOffice.subscription.owner).toBe('city');

    const ownList = (await (
      await app().send('GET', '/v1/webhook-subscriptions?pageSize=200', officer)
    ).json()) as {
      items: SubscriptionBody[];
    };
    expect(ownList.items.every((item) => item.owner === `department:${department}`)).toBe(true);
    expect(ownList.items.map((item) => item.id)).toContain(subscription.id);
    const allList = (await (
      await app().send('GET', '/v1/webhook-subscriptions?pageSize=200', admin)
    ).json()) as {
      items: SubscriptionBody[];
    };
    expect(allList.items.map((item) => item.id)).toEqual(
      expect.arrayContaining([subscription.id, byOffice.subscription.id]),
    );
    const hidden = await app().send(
      'GET',
      `/v1/webhook-subscriptions/${byOffice.subscription.id}`,
      officer,
    );
    expect(hidden.status).toBe(404);

    const changed = await app().send(
      'PATCH',
      `/v1/webhook-subscriptions/${subscription.id}`,
      officer,
      {
        url: `${receiver.base}/crud-2`,
        revision: subscription.revision,
      },
    );
    expect(changed.status).toBe(200);
    const stale = await app().send(
      'PATCH',
      `/v1/webhook-subscriptions/${subscription.id}`,
      officer,
      {
        url: `${receiver.base}/crud-3`,
        revision: subscription.revision,
      },
    );
    expect(stale.status).toBe(409);

    const deleted = await app().send(
      'DELETE',
      `/v1/webhook-subscriptions/${subscription.id}`,
      officer,
    );
    expect(deleted.status).toBe(200);
    expect(((await deleted.json()) as SubscriptionBody).status).toBe('disabled');
    const afterDelete = await app().send(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/test`,
      officer,
    );
    expect(afterDelete.status).toBe(409);

    const types = (await (await app().send('GET', '/v1/webhook-event-types', officer)).json()) as {
      items: { type: string; topic: string }[];
    };
    expect(types.items).toContainEqual({
      type: activityEvents.ActivityPublished.type,
      topic: activityEvents.ActivityPublished.topic.name,
    });
    const body = JSON.stringify(allList);
    expect(body).not.toContain('whsec_');
  });

  it.each([
    ['ftp://127.0.0.1/x', 400, 'SUBSCRIPTION_URL_INVALID'],
    ['http://user:pw@127.0.0.1/x', 400, 'SUBSCRIPTION_URL_INVALID'],
    ['http://no-such-host.invalid/x', 400, 'SUBSCRIPTION_TARGET_FORBIDDEN'],
  ])('when the URL is %s, then creating answers %i %s', async (url, status, code) => {
    const response = await app().send('POST', '/v1/webhook-subscriptions', officer, {
      url,
      eventTypes: [activityEvents.ActivityPublished.type],
    });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { code: string }).code).toBe(code);
  });

  it('when filters go beyond the subscriber’s scope or name unknown things, then creating is refused', async () => {
    const [city, township] = stack.tree;
    const otherTownship = stack.tree.find(
      (node) => node.level === 'township' && node.code !== township?.code,
    );
    const area = await stack.token({
      subject: 'area-officer',
      roles: ['area_officer'],
      jurisdictions: [township?.code ?? ''],
    });
    const attempts: [string, object, number, string][] = [
      [
        officer,
        { filters: { leadDepartments: ['jiaoyu-ju'] } },
        403,
        'SUBSCRIPTION_FILTER_OUT_OF_SCOPE',
      ],
      [officer, { ownerDepartment: 'jiaoyu-ju' }, 403, 'SUBSCRIPTION_FILTER_OUT_OF_SCOPE'],
      [
        area,
        { filters: { jurisdictionCodes: [otherTownship?.code ?? ''] } },
        403,
        'SUBSCRIPTION_FILTER_OUT_OF_SCOPE',
      ],
      [area, { filters: { jurisdictionCodes: ['999999999999'] } }, 400, 'JURISDICTION_UNKNOWN'],
      [
        officer,
        { eventTypes: ['notifications.webhooks.delivery-failed.v1'] },
        400,
        'SUBSCRIPTION_EVENT_TYPE_UNKNOWN',
      ],
    ];
    for (const [token, extra, status, code] of attempts) {
      const response = await app().send('POST', '/v1/webhook-subscriptions', token, {
        url: `${receiver.base}/refused`,
        eventTypes: [activityEvents.ActivityPublished.type],
        ...extra,
      });
      expect({
        status: response.status,
        code: ((await response.json()) as { code: string }).code,
      }).toEqual({
        status,
        code,
      });
    }
    const inArea = await app().send('POST', '/v1/webhook-subscriptions', area, {
      url: `${receiver.base}/area`,
      eventTypes: [activityEvents.ActivityPublished.type],
    });
    expect(inArea.status).toBe(201);
    const created = (await inArea.json()) as Created;
    expect(created.subscription.filters.jurisdictionCodes).toEqual([township?.code]);
    expect(city).toBeDefined();
    const participant = await stack.token({ subject: 'someone', roles: ['participant'] });
    const refused = await app().send('GET', '/v1/webhook-subscriptions', participant);
    expect(refused.status).toBe(403);
  });

  it('when a delivery is unknown or still pending, then redelivery answers 404 or 409', async () => {
    const { subscription } = await subscribe('/redeliver-refusals');
    const missing = await app().send(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/deliveries/${subscription.id}:nothing/redeliver`,
      officer,
    );
    expect(missing.status).toBe(404);
    receiver.always('/redeliver-refusals', 500);
    const eventId = await publish(`activity-${randomUUID()}`);
    await eventually('the first attempt', () =>
      idsAt('/redeliver-refusals').includes(eventId) ? true : undefined,
    );
    const pending = await app().send(
      'POST',
      `/v1/webhook-subscriptions/${subscription.id}/deliveries/${subscription.id}:${eventId}/redeliver`,
      officer,
    );
    expect(pending.status).toBe(409);
  });
});
