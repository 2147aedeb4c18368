/**
 * The notifications demo: notifications.json holds together (readers are
 * valid people of the demo city with a consent for each address they give,
 * the announcement reaches the reader the banner signs in as), and what the
 * loader sends, against registration and notifications played by a fake
 * fetch that keeps what it is sent: a second load registers nobody, adds no
 * webhook and no announcement, and saves the same preferences again.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_READER, loadNotifications, type DemoNotifications } from '../../src/demo.js';

const demoFile = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../demo/${name}`, import.meta.url), 'utf8'));

const demo = demoFile('notifications.json') as DemoNotifications;
const parentOf = new Map(
  (
    demoFile('jurisdictions.json') as { items: { code: string; parentCode: string | null }[] }
  ).items.map((item) => [item.code, item.parentCode]),
);
const NOTIFICATIONS = 'http://notifications.test';
const REGISTRATION = 'http://registration.test';
const RECEIVER = 'http://127.0.0.1:8190';

/** The codes from `code` up to the city. */
const pathOf = (code: string): string[] => {
  const path: string[] = [];
  for (let at: string | null | undefined = code; at != null; at = parentOf.get(at)) path.push(at);
  return path;
};

/** GB 11643's check character of a resident ID number's first 17 digits. */
const idCheck = (digits: string): string => {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, weight, i) => total + Number(digits.charAt(i)) * weight, 0);
  return '10X98765432'[sum % 11] ?? '';
};

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly token: string;
  readonly body: Record<string, unknown>;
}

/**
 * Registration's participant routes and notifications' preference, webhook
 * and announcement routes, each listing what was POSTed to it one item a
 * page; tokens are the bare subject (see `ownToken` below).
 */
function fakeServices(): { sent: Sent[] } {
  const sent: Sent[] = [];
  const registered = new Set<string>();
  const listed: Record<string, Record<string, unknown>[]> = {
    '/v1/webhook-subscriptions': [],
    '/v1/announcements': [],
  };
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const { origin, pathname, searchParams } = new URL(url);
    const method = init?.method ?? 'GET';
    const token = new Headers(init?.headers).get('authorization')?.replace('Bearer ', '') ?? '';
    if (method === 'GET') {
      if (origin === REGISTRATION && pathname === '/v1/me/participant')
        return registered.has(token)
          ? Response.json({ id: token })
          : Response.json({ code: 'PARTICIPANT_NOT_FOUND' }, { status: 404 });
      const items = origin === NOTIFICATIONS ? listed[pathname] : undefined;
      if (items === undefined) return Response.json({}, { status: 404 });
      const at = Number(searchParams.get('pageToken') ?? '0');
      return Response.json({
        items: items.slice(at, at + 1),
        nextPageToken: at + 1 < items.length ? String(at + 1) : null,
      });
    }
    const body = JSON.parse(init?.body as string) as Record<string, unknown>;
    sent.push({ method, url, token, body });
    if (origin === REGISTRATION && pathname === '/v1/participants') registered.add(token);
    if (pathname === '/v1/webhook-subscriptions')
      listed[pathname]?.push({ owner: `department:${String(body['ownerDepartment'])}`, ...body });
    if (pathname === '/v1/announcements') listed[pathname]?.push(body);
    return Response.json({ id: String(sent.length) }, { status: method === 'PUT' ? 200 : 201 });
  });
  return { sent };
}

const ownToken = (subject: string): Promise<string> => Promise.resolve(subject);
const load = (): ReturnType<typeof loadNotifications> =>
  loadNotifications(
    { url: NOTIFICATIONS, registrationUrl: REGISTRATION, webhookReceiverUrl: RECEIVER },
    'office',
    demo,
    ownToken,
  );

describe('the notifications demo data', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('when a reader registers, then their account, ID number, phone and home are valid and their own', () => {
    const subjects = demo.readers.map((reader) => reader.accountSubject);
    expect(new Set(subjects).size).toBe(subjects.length);
    expect(subjects).toContain(DEMO_READER);
    const elsewhere = ['participants.json', 'lectures.json'].map((name) =>
      readFileSync(new URL(`../../demo/${name}`, import.meta.url), 'utf8'),
    );
    for (const reader of demo.readers) {
      const idNumber = String(reader['idNumber']);
      expect(idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(idNumber.at(-1)).toBe(idCheck(idNumber.slice(0, 17)));
      expect(String(reader['phone'])).toMatch(/^1[3-9]\d{9}$/);
      expect(parentOf.has(String(reader['homeJurisdiction']))).toBe(true);
      for (const file of elsewhere) {
        expect(file).not.toContain(idNumber);
        expect(file).not.toContain(String(reader['phone']));
      }
    }
  });

  it('when a reader gives an email or WeChat address, then they consent to that channel', () => {
    for (const reader of demo.readers) {
      const consent = reader['consent'] as Record<string, boolean>;
      if (reader['email'] !== undefined) expect(consent['email']).toBe(true);
      const openId = reader['wechatOpenId'];
      if (openId !== undefined) {
        expect(consent['wechat']).toBe(true);
        expect(openId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
      }
    }
  });

  it('when the readers save preferences, then quiet hours, digests and opt-outs are each shown', () => {
    const preferences = demo.readers.map((reader) => reader.preferences);
    expect(preferences.some((saved) => saved['quietHours'] !== null)).toBe(true);
    expect(new Set(preferences.map((saved) => saved['digest']))).toEqual(
      new Set(['off', 'daily', 'weekly']),
    );
    expect(preferences.some((saved) => (saved['optOuts'] as unknown[]).length > 0)).toBe(true);
  });

  it("when the announcement is sent, then it reaches the banner's reader and no reader outside its township", () => {
    const [announcement] = demo.announcements;
    const codes = (announcement?.['criteria'] as { jurisdictionCodes: string[] }).jurisdictionCodes;
    const reached = demo.readers
      .filter((reader) =>
        pathOf(String(reader['homeJurisdiction'])).some((code) => codes.includes(code)),
      )
      .map((reader) => reader.accountSubject);

    expect(reached).toContain(DEMO_READER);
    expect(reached.length).toBeLessThan(demo.readers.length);
  });

  it('when it is loaded, then each reader registers with their own token and saves their preferences, and the office subscribes and announces', async () => {
    const { sent } = fakeServices();

    const summary = await load();

    expect(summary).toEqual({
      readers: demo.readers.length,
      webhooks: demo.webhooks.length,
      announcements: demo.announcements.length,
    });
    const registrations = sent.filter((call) => call.url === `${REGISTRATION}/v1/participants`);
    expect(registrations.map((call) => call.token)).toEqual(
      demo.readers.map((reader) => reader.accountSubject),
    );
    for (const { body } of registrations) {
      expect(body).not.toHaveProperty('preferences');
      expect(body).not.toHaveProperty('accountSubject');
    }
    const saved = sent.filter((call) => call.url === `${NOTIFICATIONS}/v1/me/preferences`);
    expect(saved.map(({ method, token, body }) => ({ method, token, body }))).toEqual(
      demo.readers.map((reader) => ({
        method: 'PUT',
        token: reader.accountSubject,
        body: reader.preferences,
      })),
    );
    const webhooks = sent.filter((call) => call.url.endsWith('/v1/webhook-subscriptions'));
    expect(webhooks.map(({ token, body }) => ({ token, body }))).toEqual(
      demo.webhooks.map(({ path, ...webhook }) => ({
        token: 'office',
        body: { ...webhook, url: `${RECEIVER}${path}` },
      })),
    );
    const announcements = sent.filter((call) => call.url.endsWith('/v1/announcements'));
    expect(announcements.map(({ token, body }) => ({ token, body }))).toEqual(
      demo.announcements.map((announcement) => ({ token: 'office', body: announcement })),
    );
  });

  it('when it is loaded twice, then the second load registers nobody, subscribes and announces nothing, and saves the same preferences', async () => {
    const { sent } = fakeServices();
    await load();
    const firstLoad = sent.length;

    await load();

    const second = sent.slice(firstLoad);
    expect(second.map(({ method, url, token, body }) => ({ method, url, token, body }))).toEqual(
      demo.readers.map((reader) => ({
        method: 'PUT',
        url: `${NOTIFICATIONS}/v1/me/preferences`,
        token: reader.accountSubject,
        body: reader.preferences,
      })),
    );
  });
});
