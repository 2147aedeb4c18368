/**
 * The citizens' portal in a real browser (issue 19): the five services as the
 * journey runs them (../support/platform.ts), the portal built and served with
 * the APIs by the local gateway, and Debian's Chromium on a 360 px phone. A
 * citizen finds an activity with a Chinese query and opens it, reads the
 * lecture programme and a session, switches to English; axe-core finds no
 * serious or critical WCAG 2.1 AA violation on any page visited.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createLocalIssuer, type LocalIssuer } from '@learning/auth';
import { buildPortal, startGateway, type Gateway } from '@learning/local-infra';
import { describeWithServers, residentIdNumber } from '@learning/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/platform.js';
import { cityAfternoon, expectCall } from '../support/journey-kit.js';
import { launchChromium, PHONE, screenshot, seriousViolations } from './browser-kit.js';

const HOUR_MS = 3_600_000;
/** A page's data comes from five services on a busy two-core machine: give it time. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });
const STARTUP_TIMEOUT_MS = 180_000;

describeWithServers(['mongo', 'kafka', 'redis'], "the citizens' portal in a browser", (servers) => {
  const cityPrefix = `33${String(randomInt(9000, 9999))}`;
  const city = `${cityPrefix}000000`;
  const township = `${cityPrefix}001000`;
  const run = randomUUID().slice(0, 6);
  const titles = {
    activity: `社区读书会 ${run}`,
    other: `书法体验课 ${run}`,
    lecture: `宋韵文化 ${run}`,
  };
  let issuer: LocalIssuer;
  let platform: Platform;
  let gateway: Gateway;
  let browser: Browser;
  const started: (() => Promise<unknown>)[] = [];
  /** Script errors in any page: a page that renders through an exception is not a page that works. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    issuer = await createLocalIssuer({ issuer: 'portal', audience: 'learning-society' });
    // The portal's build (cached when unchanged) and the five services' start overlap.
    const [, services] = await Promise.all([
      buildPortal(),
      startPlatform({ servers, issuer, cityCode: city }),
    ]);
    platform = services;
    started.push(() => platform.stop());
    // Built now, so the stack's next start (and this test's next run) skips vite.
    expect(await buildPortal()).toBe('unchanged');
    gateway = await startGateway({
      port: 0,
      services: Object.fromEntries(
        (['registration', 'activities', 'lectures', 'scoring', 'notifications'] as const).map(
          (name) => [name, platform.url(name)],
        ),
      ),
      // No OpenID provider here: the public pages do not sign in.
      oidcUrl: 'http://127.0.0.1:9',
    });
    started.push(() => gateway.stop());
    await seed();
    browser = await launchChromium();
    started.push(() => browser.close());
  }, STARTUP_TIMEOUT_MS);

  /** A phone of its own per test: the language chosen in one (kept in localStorage) stays there. */
  async function phonePage(): Promise<Page> {
    const context: BrowserContext = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    started.push(() => context.close());
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    return page;
  }

  afterAll(async () => {
    for (const stop of started.reverse()) await stop();
  });

  /** A township with an activity of each title and a lecture session, all published. */
  async function seed(): Promise<void> {
    const url = (name: Parameters<Platform['url']>[0]): string => platform.url(name);
    const admin = await issuer.sign(
      { subject: 'portal-admin', roles: ['city_admin'] },
      { expiresIn: '1h' },
    );
    await expectCall(200, url('registration'), 'POST', '/v1/jurisdictions:import', admin, {
      items: [
        { code: city, name: `门户市${run}`, level: 'city', parentCode: null },
        { code: township, name: '门户镇', level: 'township', parentCode: city },
      ],
    });
    const start = cityAfternoon(new Date(), 2);
    for (const title of [titles.activity, titles.other]) {
      const draft = await expectCall(201, url('activities'), 'POST', '/v1/activities', admin, {
        title,
        description: '在镇文化站共读一本书，交流读书心得。',
        kind: 'reading_club',
        organizer: { kind: 'department', department: 'wenming-ban' },
        jurisdictionCode: township,
        venue: { name: '门户镇文化站', address: '文化路 8 号' },
        schedule: {
          sessions: [
            {
              start: start.toISOString(),
              end: new Date(start.getTime() + 2 * HOUR_MS).toISOString(),
            },
          ],
        },
        capacity: 30,
        targetTiers: ['ordinary_citizen'],
        categories: ['science_culture_skills'],
      });
      await expectCall(
        200,
        url('activities'),
        'POST',
        `/v1/activities/${String(draft['id'])}:publish`,
        admin,
        {},
      );
    }
    const expertSubject = `portal-expert-${run}`;
    const expertToken = await issuer.sign(
      { subject: expertSubject, roles: ['participant'] },
      { expiresIn: '1h' },
    );
    await expectCall(201, url('registration'), 'POST', '/v1/participants', expertToken, {
      name: '王明理',
      tier: 'ordinary_citizen',
      homeJurisdiction: township,
      idNumber: residentIdNumber('19700301', randomInt(100, 900), cityPrefix),
      email: `${expertSubject}@portal.example`,
      language: 'zh-CN',
      consent: { notifications: true, email: true },
    });
    const series = await expectCall(201, url('lectures'), 'POST', '/v1/series', admin, {
      name: `玉海大讲坛 ${run}`,
      description: '门户市的城市讲坛',
      ownerDepartment: 'xuanchuan-bu',
    });
    const forum = await expectCall(
      201,
      url('lectures'),
      'POST',
      `/v1/series/${String(series['id'])}/forums`,
      admin,
      {
        name: '人文讲坛',
        description: '历史文化与人文素养',
        managerSubjects: [`manager-${run}`],
        targetTiers: ['ordinary_citizen'],
        categories: ['ethics_etiquette'],
        leadDepartment: 'xuanchuan-bu',
      },
    );
    const sessionStarts = cityAfternoon(new Date(), 5);
    const expert = await expectCall(201, url('lectures'), 'POST', '/v1/experts', admin, {
      accountSubject: expertSubject,
      displayName: '王明理',
      title: '教授',
      employer: '门户大学',
      fields: ['ethics_etiquette'],
      specialties: ['宋韵文化'],
      languages: ['zh-CN'],
      travelRadius: 'countryside',
      phone: '13700008888',
      availability: [
        { startsAt: new Date().toISOString(), endsAt: cityAfternoon(new Date(), 30).toISOString() },
      ],
    });
    const venue = await expectCall(201, url('activities'), 'POST', '/v1/venues', admin, {
      name: '门户镇市民讲堂',
      address: '讲堂路 1 号',
      jurisdictionCode: township,
    });
    await expectCall(201, url('lectures'), 'POST', '/v1/sessions', admin, {
      forumId: forum['id'],
      venueId: venue['id'],
      speakerIds: [expert['id']],
      lectureType: 'history_culture',
      title: titles.lecture,
      description: '从两宋文化看今天的城市精神',
      capacity: 100,
      targetTiers: ['ordinary_citizen'],
      categories: ['ethics_etiquette'],
      startsAt: sessionStarts.toISOString(),
      endsAt: new Date(sessionStarts.getTime() + 2 * HOUR_MS).toISOString(),
      signUpWindow: {
        opensAt: new Date().toISOString(),
        closesAt: new Date(sessionStarts.getTime() - HOUR_MS).toISOString(),
      },
    });
  }

  /** Every page the test visits gets the same accessibility check and a screenshot. */
  async function checkPage(page: Page, name: string): Promise<void> {
    await screenshot(page, name);
    expect(pageErrors).toEqual([]);
    expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  }

  it('when a citizen on a phone searches 读书 in their township, then the reading club is found and its details open', async () => {
    const page = await phonePage();
    await page.goto(`${gateway.url}/`);
    await poll(() => page.locator('h1').textContent()).toBe('身边的学习');
    await page.getByRole('searchbox').first().fill('读书会');
    await page.getByRole('button', { name: '查找' }).click();
    await page.waitForURL(/q=/);
    // The township narrows it to this run's data; the search is the service's, by character grams.
    await page.goto(`${page.url()}&jurisdictionCode=${township}`);
    const activities = page.getByTestId('activities');
    await poll(() => activities.getByRole('heading').allTextContents()).toEqual([titles.activity]);
    await checkPage(page, 'whats-on-search');

    await activities.getByRole('link', { name: titles.activity }).click();
    await poll(() => page.locator('h1').textContent()).toBe(titles.activity);
    await poll(() => page.locator('dl.facts').textContent()).toContain('门户镇文化站');
    expect(await page.locator('dl.facts').textContent()).toContain('30');
    await checkPage(page, 'activity-detail');
  });

  it('when a citizen opens the lecture programme, then the session is listed and opens with its speaker', async () => {
    const page = await phonePage();
    await page.goto(`${gateway.url}/lectures?jurisdictionCode=${township}`);
    const programme = page.getByTestId('programme');
    await poll(() => programme.getByRole('heading').allTextContents()).toEqual([titles.lecture]);
    await checkPage(page, 'programme');
    await programme.getByRole('link', { name: titles.lecture }).click();
    await poll(() => page.locator('h1').textContent()).toBe(titles.lecture);
    expect(await page.locator('dl.facts').textContent()).toContain('王明理');
    await checkPage(page, 'session-detail');
  });

  it('when a citizen switches to English, then the pages speak English and the choice stays', async () => {
    const page = await phonePage();
    await page.goto(`${gateway.url}/campaigns`);
    await poll(() => page.locator('h1').textContent()).toBe('主题活动');
    await page.getByTestId('language').click();
    await poll(() => page.locator('h1').textContent()).toBe('Campaigns');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await checkPage(page, 'campaigns-en');
    await page.getByRole('link', { name: 'Awards' }).click();
    await poll(() => page.locator('h1').textContent()).toBe('Awards and examples');
    await page.reload();
    await poll(() => page.locator('h1').textContent()).toBe('Awards and examples');
    await checkPage(page, 'honours-en');
  });

  it('when an address leads nowhere, an activity is gone or sign-in is down, then the page says so instead of failing', async () => {
    const page = await phonePage();
    await page.goto(`${gateway.url}/activities/${randomUUID()}`);
    await poll(() => page.getByRole('alert').textContent()).toContain('没有找到');
    // "Mine" needs sign-in; with no OpenID provider answering, the visitor is told, not left blank.
    await page.getByRole('link', { name: '我的' }).click();
    await poll(() => page.getByRole('alert').textContent()).toContain('登录没有完成');
    await checkPage(page, 'sign-in-unavailable');
    await page.goto(`${gateway.url}/no/such/page`);
    await poll(() => page.locator('h1').textContent()).toBe('页面不存在');
    await checkPage(page, 'not-found');
  });
});
