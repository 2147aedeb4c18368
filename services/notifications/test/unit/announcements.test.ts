import { auditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { topics } from '@learning/events';
import type { Jurisdiction, Jurisdictions } from '@learning/registration-client';
import { describe, expect, it } from 'vitest';
import { audienceSize } from '../../src/application/announcements/audience-size.js';
import { cancelAnnouncement } from '../../src/application/announcements/cancel-announcement.js';
import { createAnnouncement } from '../../src/application/announcements/create-announcement.js';
import { getAnnouncement } from '../../src/application/announcements/get-announcement.js';
import { listAnnouncements } from '../../src/application/announcements/list-announcements.js';
import { FakeAudience, FakeBroadcastStore, members } from '../support/broadcast-fakes.js';

const NOW = new Date('2026-12-07T02:00:00Z');
const CITY = '330281';
const TOWNSHIP_A = '330281001';
const VILLAGE_A1 = '330281001001';
const TOWNSHIP_B = '330281002';

const tree: Jurisdictions = {
  find(codes) {
    const known: Record<string, Jurisdiction> = {
      [CITY]: { code: CITY, name: '市', level: 'city', path: [CITY] },
      [TOWNSHIP_A]: { code: TOWNSHIP_A, name: '甲镇', level: 'township', path: [CITY, TOWNSHIP_A] },
      [VILLAGE_A1]: {
        code: VILLAGE_A1,
        name: '一村',
        level: 'village',
        path: [CITY, TOWNSHIP_A, VILLAGE_A1],
      },
      [TOWNSHIP_B]: { code: TOWNSHIP_B, name: '乙镇', level: 'township', path: [CITY, TOWNSHIP_B] },
    };
    return Promise.resolve(
      new Map(codes.flatMap((code) => (known[code] === undefined ? [] : [[code, known[code]]]))),
    );
  },
  subtree: () => {
    throw new Error('not used');
  },
};

const principal = (
  input: Partial<Principal> & Pick<Principal, 'subject' | 'roles'>,
): Principal => ({
  cityWide: false,
  jurisdictions: [],
  organizations: [],
  ...input,
});
const office = principal({ subject: 'office', roles: ['city_admin'], cityWide: true });
const areaOfficer = principal({
  subject: 'area-a',
  roles: ['area_officer'],
  jurisdictions: [TOWNSHIP_A],
});
const otherOfficer = principal({
  subject: 'area-b',
  roles: ['area_officer'],
  jurisdictions: [TOWNSHIP_B],
});

const criteria = (jurisdictionCodes: string[]) => ({
  tiers: [],
  jurisdictionCodes,
  organizationKinds: [],
});
const texts = { subject: { 'zh-CN': '通知' }, body: { 'zh-CN': '正文' } };

function setup() {
  const broadcasts = new FakeBroadcastStore();
  const audience = new FakeAudience(members(42));
  const audit = auditTrail('notifications', topics.notificationsAudit);
  let queued = 0;
  const create = createAnnouncement({
    jurisdictions: tree,
    audience,
    broadcasts,
    audit,
    clock: () => NOW,
    queued: () => {
      queued += 1;
    },
  });
  return {
    broadcasts,
    create,
    size: audienceSize({ jurisdictions: tree, audience }),
    cancel: cancelAnnouncement({ broadcasts, audit, clock: () => NOW }),
    get: getAnnouncement(broadcasts),
    list: listAnnouncements(broadcasts),
    queued: () => queued,
  };
}

describe('announcements', () => {
  it('when the office announces to the whole city, then it is queued with the inbox, its audience size and an audit record', async () => {
    const run = setup();

    const created = await run.create(office, {
      ...texts,
      criteria: criteria([]),
      channels: ['sms'],
    });

    expect(created.audienceSize).toBe(42);
    const stored = run.broadcasts.stored.get(created.id);
    expect(stored?.broadcast.channels).toEqual(['inbox', 'sms']);
    expect(stored?.broadcast.rendered).toEqual({ 'zh-CN': { title: '通知', body: '正文' } });
    expect(stored?.events.map((event) => event.type)).toEqual(['notifications.audit.recorded.v1']);
    expect(run.queued()).toBe(1);
  });

  it('when an area officer addresses a village of their township, then it is accepted', async () => {
    const run = setup();

    await expect(run.size(areaOfficer, criteria([VILLAGE_A1]))).resolves.toBe(42);
  });

  it('when an area officer addresses another township or the whole city, then it is refused with ANNOUNCEMENT_OUTSIDE_SCOPE', async () => {
    const run = setup();

    await expect(run.size(areaOfficer, criteria([TOWNSHIP_B]))).rejects.toMatchObject({
      code: 'ANNOUNCEMENT_OUTSIDE_SCOPE',
      httpStatus: 403,
    });
    await expect(
      run.create(areaOfficer, { ...texts, criteria: criteria([]), channels: [] }),
    ).rejects.toMatchObject({ code: 'ANNOUNCEMENT_OUTSIDE_SCOPE' });
    expect(run.broadcasts.stored.size).toBe(0);
  });

  it('when criteria name a place the city does not have, then JURISDICTION_UNKNOWN names it', async () => {
    const run = setup();

    await expect(run.size(office, criteria(['330281999']))).rejects.toMatchObject({
      code: 'JURISDICTION_UNKNOWN',
      httpStatus: 400,
    });
  });

  it('when another area officer asks for an announcement, then it is not found to them and absent from their list', async () => {
    const run = setup();
    const { id } = await run.create(areaOfficer, {
      ...texts,
      criteria: criteria([TOWNSHIP_A]),
      channels: [],
    });

    await expect(run.get(otherOfficer, id)).rejects.toMatchObject({
      code: 'ANNOUNCEMENT_NOT_FOUND',
    });
    expect((await run.list(otherOfficer, { pageSize: 20 })).items).toEqual([]);
    expect((await run.list(office, { pageSize: 20 })).items.map((item) => item.id)).toEqual([id]);
    await expect(run.get(areaOfficer, id)).resolves.toMatchObject({ id, status: 'queued' });
  });

  it('when an announcement is cancelled twice, then it is cancelled once with one audit record, and a completed one cannot be', async () => {
    const run = setup();
    const { id } = await run.create(office, { ...texts, criteria: criteria([]), channels: [] });

    await expect(run.cancel(office, id)).resolves.toMatchObject({ status: 'cancelled' });
    await expect(run.cancel(office, id)).resolves.toMatchObject({ status: 'cancelled' });
    expect(run.broadcasts.stored.get(id)?.events).toHaveLength(2);

    const second = await run.create(office, { ...texts, criteria: criteria([]), channels: [] });
    await run.broadcasts.claim('w', NOW, new Date(NOW.getTime() + 1_000));
    await run.broadcasts.complete(second.id, 'w', NOW);
    await expect(run.cancel(office, second.id)).rejects.toMatchObject({
      code: 'ANNOUNCEMENT_FINISHED',
      httpStatus: 409,
    });
  });
});
