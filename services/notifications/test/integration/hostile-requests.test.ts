/**
 * Notifications under hostile input: every operation of its served OpenAPI
 * document gets malformed path ids, wrong query values and broken bodies
 * (see hostileRequests), each sent as the city office (a participant on
 * `/v1/me/…`) and once more as one of an area officer, a department officer,
 * a participant, a service or nobody, in turn. None may be answered with a
 * 5xx, every 4xx carries the shared error body, and what was stored before
 * still reads back whole afterwards.
 */
import { randomUUID } from 'node:crypto';
import { activityEvents } from '@learning/contracts';
import {
  describeWithServers,
  hostileRequests,
  openApiProblems,
  residentIdNumber,
  uniqueName,
  type HostileRequest,
} from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
import { useNotificationsStack, type NotificationsStack } from '../support/stack.js';

/** At most this many per operation keeps the run bounded (a few thousand in all). */
const MAX_PER_OPERATION = 60;
/** Requests in flight at once: enough to be quick, few enough for a shared machine. */
const CONCURRENCY = 8;

type Who = 'office' | 'area' | 'department' | 'participant' | 'service' | 'none';
/** The principals that send each request a second time, one after another. */
const OTHERS: readonly Who[] = ['area', 'department', 'participant', 'service', 'none'];

interface Outcome {
  readonly request: HostileRequest;
  readonly who: Who;
  readonly status: number;
  readonly text: string;
}

async function sendHostile(
  base: string,
  request: HostileRequest,
  token: string | null,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (request.idempotencyKey !== null) headers['idempotency-key'] = request.idempotencyKey;
  if (request.body !== undefined)
    headers['content-type'] = request.contentType ?? 'application/json';
  try {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    // A dropped connection is as much a failure as a 5xx: status 0 lists it with them.
    return { status: 0, text: String(error) };
  }
}

/** Runs `work` over `items`, `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const hasErrorShape = (text: string): boolean => {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return typeof body.code === 'string' && typeof body.message === 'string';
  } catch {
    return false;
  }
};

const describeOutcome = ({ request, who, status, text }: Outcome): string =>
  `${request.operation} [${request.case}] (${who}) -> ${status} ${text.slice(0, 160)}`;

/** The created thing's body: `{ id }`, or `{ subscription: { id }, secret }` for a webhook. */
async function created(response: Response, what: string): Promise<Record<string, unknown>> {
  if (response.status !== 201)
    throw new Error(`creating ${what}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** The participant's account, whose token the `/v1/me/…` routes get. */
const PARTICIPANT_SUBJECT = 'hostile-participant';

/**
 * A stored webhook subscription and announcement, and the participant
 * registered, so that hostile queries and bodies on the paths naming them (and
 * on `/v1/me/…`) reach the use cases instead of stopping at "not found".
 */
async function storedIds(
  stack: NotificationsStack,
  office: string,
): Promise<{ webhook: string; announcement: string }> {
  const township = stack.tree.find((node) => node.level === 'township');
  if (township === undefined) throw new Error('the stack’s tree has no township');
  const subscription = await created(
    await stack.notifications.send('POST', '/v1/webhook-subscriptions', office, {
      // Nothing listens there: deliveries fail, which is a state worth fuzzing too.
      url: 'http://127.0.0.1:9/hooks/hostile',
      eventTypes: [activityEvents.ActivityPublished.type],
    }),
    'a webhook subscription',
  );
  const announcement = await created(
    await stack.notifications.send('POST', '/v1/announcements', office, {
      subject: { 'zh-CN': '停水通知' },
      body: { 'zh-CN': '明天上午停水。' },
      criteria: { jurisdictionCodes: [township.code] },
    }),
    'an announcement',
  );
  const village = stack.tree.find((node) => node.level === 'village');
  await created(
    await stack.registration.send(
      'POST',
      '/v1/participants',
      await stack.token({ subject: PARTICIPANT_SUBJECT, roles: ['participant'] }),
      {
        name: '张晓明',
        tier: 'ordinary_citizen',
        homeJurisdiction: village?.code ?? '',
        idNumber: residentIdNumber('19750505', 17),
        phone: '13700009901',
        language: 'zh-CN',
        consent: { sms: true },
      },
    ),
    'a participant',
  );
  return {
    webhook: (subscription['subscription'] as { id: string }).id,
    announcement: announcement['id'] as string,
  };
}

/** What the office reads of the stored things: compared before and after the storm. */
async function readBack(
  stack: NotificationsStack,
  office: string,
  stored: { webhook: string; announcement: string },
): Promise<{ webhook: number; announcement: number }> {
  const webhook = await stack.notifications.send(
    'GET',
    `/v1/webhook-subscriptions/${stored.webhook}`,
    office,
  );
  const announcement = await stack.notifications.send(
    'GET',
    `/v1/announcements/${stored.announcement}`,
    office,
  );
  return { webhook: webhook.status, announcement: announcement.status };
}

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'notifications under hostile requests',
  (servers) => {
    const stack = useNotificationsStack(servers, {
      notificationsEnvironment: {
        MONGODB_DATABASE: uniqueName('notifications-hostile'),
        KAFKA_GROUP_NAMESPACE: uniqueName('notifications-hostile'),
      },
    });
    const tokens = new Map<Who, string | null>([['none', null]]);
    let stored = { webhook: '', announcement: '' };
    beforeAll(async () => {
      const township = stack.tree.find((node) => node.level === 'township');
      tokens.set(
        'office',
        await stack.token({ subject: 'office', roles: ['city_admin'], cityWide: true }),
      );
      tokens.set(
        'area',
        await stack.token({
          subject: 'hostile-area-officer',
          roles: ['area_officer'],
          jurisdictions: [township?.code ?? ''],
        }),
      );
      tokens.set(
        'department',
        await stack.token({
          subject: 'hostile-department-officer',
          roles: ['department_officer'],
          department: 'propaganda',
        }),
      );
      tokens.set(
        'participant',
        await stack.token({ subject: PARTICIPANT_SUBJECT, roles: ['participant'] }),
      );
      tokens.set(
        'service',
        await stack.token({
          subject: 'service:activities',
          roles: ['service'],
          service: 'activities',
          cityWide: true,
        }),
      );
      stored = await storedIds(stack, tokens.get('office') ?? '');
    });

    it('when /openapi.json is read, then every operation declares its errors with the Error schema and every POST but the two that show a secret takes an Idempotency-Key', async () => {
      const { operations, problems } = openApiProblems(
        await (await stack.notifications.send('GET', '/openapi.json', null)).json(),
      );

      expect(operations).toBeGreaterThan(20);
      // Their answer holds a signing secret, which a replay store would keep in clear: they take no key.
      expect(problems).toEqual([
        'post /v1/webhook-subscriptions: no Idempotency-Key',
        'post /v1/webhook-subscriptions/{id}/secret/rotate: no Idempotency-Key',
      ]);
    });

    it('when a write gets a body past the limit, JSON nested deep, an unknown field or text/plain, then it is refused with 413 or 400 and a code', async () => {
      const office = tokens.get('office') ?? '';
      const announcement = {
        subject: { 'zh-CN': '停水通知' },
        body: { 'zh-CN': '明天上午停水。' },
        criteria: { jurisdictionCodes: [stack.tree[0]?.code ?? ''] },
      };
      const depth = 5_000;
      const cases: readonly { name: string; body: string; contentType: string }[] = [
        {
          name: 'past the limit',
          body: JSON.stringify({ ...announcement, padding: 'x'.repeat(2 * 1_048_576) }),
          contentType: 'application/json',
        },
        {
          name: 'nested deep',
          body: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
          contentType: 'application/json',
        },
        {
          name: 'unknown field',
          body: JSON.stringify({ ...announcement, sendTo: 'everyone' }),
          contentType: 'application/json',
        },
        { name: 'text/plain', body: JSON.stringify(announcement), contentType: 'text/plain' },
      ];
      const answers: Record<string, string> = {};
      for (const path of [
        '/v1/announcements',
        '/v1/webhook-subscriptions',
        '/v1/templates/preview',
      ])
        for (const { name, body, contentType } of cases) {
          const response = await fetch(`${stack.notifications.base}${path}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${office}`,
              'content-type': contentType,
              'idempotency-key': randomUUID(),
            },
            body,
          });
          const { code } = (await response.json()) as { code?: string };
          answers[`${path} ${name}`] = `${response.status} ${code ?? ''}`;
        }

      const expected = (path: string) => ({
        [`${path} past the limit`]: '413 PAYLOAD_TOO_LARGE',
        [`${path} nested deep`]: '400 JSON_TOO_DEEP',
        [`${path} unknown field`]: '400 VALIDATION_FAILED',
        // Fastify reads text/plain as a string, which the body's object schema refuses.
        [`${path} text/plain`]: '400 VALIDATION_FAILED',
      });
      expect(answers).toEqual({
        ...expected('/v1/announcements'),
        ...expected('/v1/webhook-subscriptions'),
        ...expected('/v1/templates/preview'),
      });
    });

    it('when every operation gets malformed ids, wrong queries and broken bodies from every kind of caller, then none is a 5xx, every 4xx names a code and the stored things read back', async () => {
      const office = tokens.get('office') ?? '';
      const before = await readBack(stack, office, stored);
      const document: unknown = await (
        await fetch(`${stack.notifications.base}/openapi.json`)
      ).json();
      const requests = hostileRequests(document, {
        seed: 20261207,
        idempotencyKey: randomUUID,
        maxPerOperation: MAX_PER_OPERATION,
        // `{id}` names a subscription under /v1/webhook-subscriptions/, an announcement under /v1/announcements/.
        pathValue: (template, parameter) => {
          if (parameter !== 'id') return undefined;
          if (template.startsWith('/v1/webhook-subscriptions/')) return stored.webhook;
          if (template.startsWith('/v1/announcements/')) return stored.announcement;
          return undefined;
        },
      });
      const sends = requests.flatMap((request, index) => [
        { request, who: request.path.startsWith('/v1/me/') ? 'participant' : 'office' },
        { request, who: OTHERS[index % OTHERS.length] ?? 'none' },
      ]) as { request: HostileRequest; who: Who }[];
      const outcomes: Outcome[] = [];
      await inBatches(sends, CONCURRENCY, async ({ request, who }) => {
        const answer = await sendHostile(
          stack.notifications.base,
          request,
          tokens.get(who) ?? null,
        );
        outcomes.push({ request, who, ...answer });
      });
      process.stdout.write(
        `hostile requests: ${requests.length} generated over ${new Set(requests.map((r) => r.operation)).size} operations, ${outcomes.length} sent\n`,
      );

      const serverErrors = outcomes.filter(
        (outcome) => outcome.status >= 500 || outcome.status === 0,
      );
      const shapeless = outcomes.filter(
        (outcome) => outcome.status >= 400 && outcome.status < 500 && !hasErrorShape(outcome.text),
      );
      expect(new Set(requests.map((request) => request.operation)).size).toBe(
        openApiProblems(document).operations,
      );
      expect(outcomes).toHaveLength(sends.length);
      expect(serverErrors.map(describeOutcome)).toEqual([]);
      expect(shapeless.map(describeOutcome)).toEqual([]);
      expect(await readBack(stack, office, stored)).toEqual(before);
      expect(before).toEqual({ webhook: 200, announcement: 200 });
    }, 300_000);
  },
);
