import { describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../src/application/ports.js';
import { deliverDue, type DeliveryDeps } from '../../src/application/webhooks/deliver.js';
import type {
  AttemptRecord,
  DeliveryStore,
  OwnerAlerts,
  PauseRecord,
  StoredDelivery,
  StoredSubscription,
  SubscriptionStore,
  WebhookRequest,
} from '../../src/application/webhooks/ports.js';
import { DispatchedOwnerAlerts } from '../../src/adapters/webhooks/owner-alerts.js';
import type { NoticeRequest } from '../../src/domain/notices.js';
import type { Officer } from '@learning/registration-client';

const NOW = new Date('2026-03-01T08:00:00Z');

const subscription = (overrides: Partial<StoredSubscription> = {}): StoredSubscription => ({
  id: 'sub-1',
  owner: 'department:jingmao-ju',
  createdBy: 'officer-1',
  url: 'http://127.0.0.1:9/hook',
  eventTypes: ['activities.activity.published.v1'],
  filters: { organizationKinds: [], leadDepartments: ['jingmao-ju'], jurisdictionCodes: [] },
  status: 'active',
  secrets: [
    { sealed: 'sealed:whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: NOW, expiresAt: null },
  ],
  consecutiveFailures: 0,
  revision: 1,
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides,
});

const delivery = (id: string, overrides: Partial<StoredDelivery> = {}): StoredDelivery => ({
  id: `sub-1:${id}`,
  subscriptionId: 'sub-1',
  eventId: id,
  eventType: 'activities.activity.published.v1',
  eventKey: id,
  body: '{"id":"x"}',
  status: 'pending',
  attempts: 0,
  queuedAt: NOW,
  nextAttemptAt: NOW,
  firstAttemptAt: null,
  lastAttemptAt: null,
  lastStatus: null,
  lastError: null,
  latencyMs: null,
  ...overrides,
});

/** Fakes of the slice's ports, recording what the step did. */
function harness(options: { status: number; due: StoredDelivery[]; pauseAfter: number }) {
  const recorded: AttemptRecord[] = [];
  const requests: WebhookRequest[] = [];
  const alerts: string[] = [];
  let failures = 0;
  let status: StoredSubscription['status'] = 'active';
  const subscriptions: SubscriptionStore = {
    insert: async () => undefined,
    get: async () => subscription({ status }),
    list: async () => ({ items: [], nextPageToken: null }),
    receiving: async () => [],
    update: async () => subscription(),
    async countFinalFailure(_pause: PauseRecord, pauseAfter: number) {
      failures += 1;
      if (failures < pauseAfter || status !== 'active') return false;
      status = 'paused';
      return true;
    },
    clearFailures: async () => undefined,
  };
  const deliveries: DeliveryStore = {
    queue: async () => undefined,
    claimDue: async () => options.due.splice(0),
    record: async (_delivery, attempt) => {
      recorded.push(attempt);
    },
    get: async () => undefined,
    list: async () => ({ items: [], nextPageToken: null }),
    requeue: async () => false,
    hold: async () => undefined,
  };
  const ownerAlerts: OwnerAlerts = {
    subscriptionPaused: async (paused) => {
      alerts.push(paused.id);
    },
  };
  const deps: DeliveryDeps = {
    subscriptions,
    deliveries,
    resolver: { resolve: async () => ['127.0.0.1'] },
    transport: {
      post: async (request) => {
        requests.push(request);
        return { status: options.status, latencyMs: 3 };
      },
    },
    secrets: {
      seal: (secret) => `sealed:${secret}`,
      open: (sealed) => sealed.slice('sealed:'.length),
    },
    alerts: ownerAlerts,
    clock: () => NOW,
    random: () => 0.5,
    settings: {
      policy: 'allow-private',
      timeoutMs: 1_000,
      firstRetryMs: 1_000,
      retryWindowMs: 60_000,
      pauseAfter: options.pauseAfter,
      concurrency: 10,
      leaseMs: 5_000,
    },
  };
  return { step: deliverDue(deps), recorded, requests, alerts };
}

describe('the webhook delivery step', () => {
  it('when a first attempt fails, then it is retried after the jittered first delay', async () => {
    const { step, recorded } = harness({ status: 500, due: [delivery('e1')], pauseAfter: 2 });

    await step();

    expect(recorded).toEqual([
      {
        outcome: 'retry',
        status: 500,
        error: 'HTTP 500',
        latencyMs: 3,
        nextAttemptAt: new Date(NOW.getTime() + 500),
      },
    ]);
  });

  it('when deliveries fail past their window, then each is final and the subscription pauses once, with one alert', async () => {
    const late = { firstAttemptAt: new Date(NOW.getTime() - 60_000), attempts: 7 };
    const { step, recorded, alerts } = harness({
      status: 500,
      due: [delivery('e1', late), delivery('e2', late), delivery('e3', late)],
      pauseAfter: 2,
    });

    await step();

    expect(recorded.map((attempt) => attempt.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(alerts).toEqual(['sub-1']);
  });

  it('when the call succeeds, then the request carries the Standard Webhooks headers', async () => {
    const { step, recorded, requests } = harness({
      status: 204,
      due: [delivery('e1')],
      pauseAfter: 2,
    });

    await step();

    expect(recorded[0]).toMatchObject({ outcome: 'delivered', status: 204 });
    expect(requests[0]?.headers).toMatchObject({
      'webhook-id': 'e1',
      'webhook-timestamp': String(NOW.getTime() / 1000),
    });
    expect(requests[0]?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(requests[0]?.address).toBe('127.0.0.1');
  });
});

describe('the owner alert of a paused subscription', () => {
  const officer = (subject: string): Officer => ({
    subject,
    name: 'Officer',
    roles: ['department_officer'],
    jurisdictionCodes: [],
    departmentCode: 'jingmao-ju',
    language: 'zh-CN',
    phone: '13800000000',
    email: 'o@example.org',
  });

  it('when a department subscription pauses, then each of its officers gets one urgent subscription.paused notice', async () => {
    const sent: NoticeRequest[] = [];
    const queries: unknown[] = [];
    const dispatcher: Dispatcher = {
      dispatch: async (requests) => {
        sent.push(...requests);
      },
    };
    const alerts = new DispatchedOwnerAlerts(dispatcher, {
      find: async (query) => {
        queries.push(query);
        return [officer('a'), officer('b')];
      },
    });

    await alerts.subscriptionPaused(subscription(), {
      failures: 5,
      lastError: 'HTTP 500',
      at: NOW,
    });

    expect(queries).toEqual([{ roles: ['department_officer'], departmentCode: 'jingmao-ju' }]);
    expect(sent.map((request) => request.recipient)).toEqual(['officer:a', 'officer:b']);
    expect(sent[0]).toMatchObject({
      kind: 'subscription.paused',
      urgent: true,
      noticeId: `webhook-paused:sub-1:${NOW.getTime()}`,
      contact: { phone: '13800000000', email: 'o@example.org' },
      variables: { subscription: 'sub-1', url: '127.0.0.1:9', failures: 5, lastError: 'HTTP 500' },
    });
  });

  it('when a city system owns it, then nobody is notified (it reads SubscriptionPaused)', async () => {
    const sent: NoticeRequest[] = [];
    const alerts = new DispatchedOwnerAlerts(
      { dispatch: async (requests) => void sent.push(...requests) },
      { find: async () => [officer('a')] },
    );

    await alerts.subscriptionPaused(subscription({ owner: 'service:archive' }), {
      failures: 5,
      lastError: 'HTTP 500',
      at: NOW,
    });

    expect(sent).toEqual([]);
  });
});
