import { lectureEvents } from '@learning/contracts';
import type { Jurisdiction, Jurisdictions } from '@learning/registration-client';
import { rejectionOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { sessionMaterials } from '../../../src/application/programme/materials.js';
import type { Material } from '../../../src/application/programme/ports.js';
import { programmeReads } from '../../../src/application/programme/read-programme.js';
import { MAX_MATERIALS_PER_SESSION } from '../../../src/domain/programme.js';
import {
  audit,
  bytes,
  FakeDirectory,
  FakeFiles,
  FakeSessions,
  NOW,
  principal,
  session,
} from './programme-fakes.js';

const HOUR = 3_600_000;
const speaker = principal({ subject: 'speaker', roles: ['expert'] });
const otherExpert = principal({ subject: 'other-expert', roles: ['expert'] });
const manager = principal({ subject: 'manager-1', roles: ['department_officer'] });
const office = principal({ subject: 'office', roles: ['city_admin'], cityWide: true });
const citizen = principal({ subject: 'citizen', roles: ['participant'] });

function setUp(...sessions: ReturnType<typeof session>[]) {
  const store = new FakeSessions(...(sessions.length === 0 ? [session()] : sessions));
  const files = new FakeFiles();
  const materials = sessionMaterials({
    sessions: store,
    directory: new FakeDirectory(),
    files,
    audit,
    clock: () => NOW,
    maxBytes: 1_000,
  });
  return { store, files, materials };
}

const upload = (text: string, name = '讲义.pdf') => ({
  fileName: name,
  contentType: 'application/pdf',
  content: bytes(text),
});
const codeOf = async (promise: Promise<unknown>) =>
  ((await rejectionOf(promise)) as { code: string }).code;
const eventTypes = (store: FakeSessions) => store.outbox.map((entry) => entry.type);

describe('publishing materials', () => {
  it('when a speaker, the forum’s manager or the office uploads, then each file is listed and announced with its audit record', async () => {
    const { store, materials } = setUp();
    for (const who of [speaker, manager, office])
      await materials.upload(who, 'session-1', upload(`by ${who.subject}`));

    expect(store.stored.get('session-1')?.materials).toHaveLength(3);
    expect(eventTypes(store)).toEqual([
      lectureEvents.MaterialsPublished.type,
      'lectures.audit.recorded.v1',
      lectureEvents.MaterialsPublished.type,
      'lectures.audit.recorded.v1',
      lectureEvents.MaterialsPublished.type,
      'lectures.audit.recorded.v1',
    ]);
  });

  it('when an expert who does not speak there, someone with a speaker’s subject but no expert role, or a citizen uploads, then MATERIAL_FORBIDDEN and no file is kept', async () => {
    const { store, files, materials } = setUp();
    const impostor = principal({ subject: 'speaker', roles: ['participant'] });
    for (const who of [otherExpert, impostor, citizen])
      expect(await codeOf(materials.upload(who, 'session-1', upload('x'))), who.subject).toBe(
        'MATERIAL_FORBIDDEN',
      );
    expect(files.files.size).toBe(0);
    expect(store.outbox).toEqual([]);
  });

  it('when the session is cancelled, full, or the file is declared too large, then refused before a byte is stored', async () => {
    const full: Material[] = Array.from({ length: MAX_MATERIALS_PER_SESSION }, (_, n) => ({
      fileId: String(n).padStart(24, 'f'),
      name: `${n}.pdf`,
      contentType: 'application/pdf',
      size: 1,
      publishedAt: NOW,
    }));
    const { files, materials } = setUp(
      session({ id: 'cancelled', status: 'cancelled' }),
      session({ id: 'full', materials: full }),
      session({ id: 'open' }),
    );
    expect(await codeOf(materials.upload(office, 'cancelled', upload('x')))).toBe(
      'MATERIAL_SESSION_CANCELLED',
    );
    expect(await codeOf(materials.upload(office, 'full', upload('x')))).toBe(
      'MATERIAL_LIMIT_REACHED',
    );
    expect(
      await codeOf(materials.upload(office, 'open', { ...upload('x'), declaredBytes: 1_001 })),
    ).toBe('MATERIAL_TOO_LARGE');
    expect(await codeOf(materials.upload(office, 'missing', upload('x')))).toBe(
      'SESSION_NOT_FOUND',
    );
    expect(files.files.size).toBe(0);
  });

  it('when someone else changes the session meanwhile, then the upload is written on a fresh read and lands once', async () => {
    const { store, materials } = setUp();
    store.conflicts = 2;

    const material = await materials.upload(speaker, 'session-1', upload('slides'));

    expect(store.stored.get('session-1')?.materials).toEqual([material]);
    expect(
      eventTypes(store).filter((type) => type === lectureEvents.MaterialsPublished.type),
    ).toHaveLength(1);
  });

  it('when the session keeps changing under it, then VERSION_CONFLICT and the file is not kept', async () => {
    const { store, files, materials } = setUp();
    store.conflicts = 10;

    expect(await codeOf(materials.upload(speaker, 'session-1', upload('slides')))).toBe(
      'VERSION_CONFLICT',
    );
    expect(files.files.size).toBe(0);
    expect(files.removed).toHaveLength(1);
  });

  it('when the same bytes come again from the same person, then the listed file is answered and nothing is announced twice', async () => {
    const { store, materials } = setUp();
    const first = await materials.upload(speaker, 'session-1', upload('slides'));
    const again = await materials.upload(speaker, 'session-1', upload('slides'));

    expect(again).toEqual(first);
    expect(store.stored.get('session-1')?.materials).toHaveLength(1);
    expect(store.outbox).toHaveLength(2);
  });

  it('when a file is withdrawn, then it leaves the session and the store, announced by its id; a file not listed is MATERIAL_NOT_FOUND', async () => {
    const { store, files, materials } = setUp();
    const { fileId } = await materials.upload(speaker, 'session-1', upload('slides'));

    expect(await codeOf(materials.withdraw(citizen, 'session-1', fileId))).toBe(
      'MATERIAL_FORBIDDEN',
    );
    await materials.withdraw(manager, 'session-1', fileId);

    expect(store.stored.get('session-1')?.materials).toEqual([]);
    expect(files.removed).toEqual([fileId]);
    expect(store.outbox.at(-2)?.data).toMatchObject({ removedFileIds: [fileId] });
    expect(await codeOf(materials.withdraw(manager, 'session-1', fileId))).toBe(
      'MATERIAL_NOT_FOUND',
    );
  });

  it('when a file is opened, then anyone gets it from a scheduled session; of a cancelled one only publishers; a file of another session is not found', async () => {
    const { store, files, materials } = setUp(session(), session({ id: 'session-2' }));
    const { fileId } = await materials.upload(speaker, 'session-1', upload('slides'));
    const opened = await materials.open(undefined, 'session-1', fileId);
    expect(opened.file.fileRef).toBe(fileId);

    const listed = store.stored.get('session-1');
    if (listed === undefined) throw new Error('no session');
    store.stored.set('session-2', { ...listed, id: 'session-2' });
    expect(await codeOf(materials.open(undefined, 'session-2', fileId))).toBe('MATERIAL_NOT_FOUND');

    store.stored.set('session-1', { ...listed, status: 'cancelled' });
    expect(await codeOf(materials.open(undefined, 'session-1', fileId))).toBe('MATERIAL_FORBIDDEN');
    expect(await codeOf(materials.open(citizen, 'session-1', fileId))).toBe('MATERIAL_FORBIDDEN');
    expect((await materials.open(speaker, 'session-1', fileId)).material.fileId).toBe(fileId);
    expect(files.files.size).toBe(1);
  });
});

describe('the recording', () => {
  const started = session({ startsAt: new Date(NOW.getTime() - HOUR) });

  it('when set after the start, then stored and announced with its address and length; the same again changes nothing', async () => {
    const { store, materials } = setUp(started);
    const request = { url: 'https://video.example/1', durationSeconds: 3600 };
    await materials.setRecording(speaker, 'session-1', request);
    await materials.setRecording(office, 'session-1', request);

    expect(store.stored.get('session-1')?.recording).toEqual({ ...request, addedAt: NOW });
    expect(store.outbox).toHaveLength(2);
    expect(store.outbox[0]?.data).toMatchObject({
      recordingUrl: request.url,
      recordingDurationSeconds: 3600,
      session: { sessionId: 'session-1', forumId: 'forum-1', speakerIds: ['expert-1'] },
    });
  });

  it('when set before the start, over http, by someone else or on a cancelled session, then refused with its code and nothing changes', async () => {
    const { store, materials } = setUp(
      session({ id: 'upcoming' }),
      session({ id: 'begun', startsAt: new Date(NOW.getTime() - HOUR) }),
      session({ id: 'cancelled', startsAt: new Date(NOW.getTime() - HOUR), status: 'cancelled' }),
    );
    const https = { url: 'https://video.example/1' };
    expect(await codeOf(materials.setRecording(speaker, 'upcoming', https))).toBe(
      'RECORDING_BEFORE_START',
    );
    expect(
      await codeOf(materials.setRecording(speaker, 'begun', { url: 'http://video.example/1' })),
    ).toBe('RECORDING_URL_NOT_HTTPS');
    expect(await codeOf(materials.setRecording(otherExpert, 'begun', https))).toBe(
      'MATERIAL_FORBIDDEN',
    );
    expect(await codeOf(materials.setRecording(office, 'cancelled', https))).toBe(
      'MATERIAL_SESSION_CANCELLED',
    );
    expect(store.outbox).toEqual([]);
  });
});

describe('reading the programme', () => {
  const known: Jurisdiction = {
    code: '330281001000',
    name: '第1街道',
    level: 'township',
    path: ['330281000000', '330281001000'],
  };
  const jurisdictions: Jurisdictions = {
    find: async (codes) =>
      new Map(codes.includes(known.code) ? [[known.code, known] as const] : []),
    subtree: () => {
      throw new Error('not used');
    },
  };
  const readsOf = (store: FakeSessions) =>
    programmeReads({
      sessions: store,
      directory: new FakeDirectory(),
      jurisdictions,
      clock: () => NOW,
    });

  it('when a session is read, then it carries its forum’s name and its speakers in order, leaving out one no longer in the pool', async () => {
    const store = new FakeSessions(session({ speakerIds: ['expert-2', 'gone', 'expert-1'] }));
    const view = await readsOf(store).getPublic('session-1');
    expect(view.forumName).toBe('人文讲坛');
    expect(view.speakers.map((s) => s.displayName)).toEqual(['李老师', '王教授']);
  });

  it('when the public range is reversed or the search holds nothing to find, then refused with their codes', async () => {
    const reads = readsOf(new FakeSessions());
    expect(await codeOf(reads.listPublic({ from: NOW, to: new Date(NOW.getTime() - 1) }))).toBe(
      'PROGRAMME_RANGE_INVALID',
    );
    expect(await codeOf(reads.listPublic({ q: '！？ ' }))).toBe('PROGRAMME_SEARCH_EMPTY');
  });

  it('when a place is unknown, then PROGRAMME_JURISDICTION_NOT_FOUND', async () => {
    const reads = readsOf(new FakeSessions());
    const range = { from: NOW, to: new Date(NOW.getTime() + HOUR), pageSize: 10 };
    expect(await codeOf(reads.listInPlace({ jurisdictionCode: '330281009000', ...range }))).toBe(
      'PROGRAMME_JURISDICTION_NOT_FOUND',
    );
    await expect(reads.listInPlace({ jurisdictionCode: known.code, ...range })).resolves.toEqual({
      items: [],
      nextPageToken: null,
    });
  });

  it('when an expert walks their sessions, then the upcoming part is read from now, and the past part follows from the same instant', async () => {
    const store = new FakeSessions();
    const reads = readsOf(store);
    const first = await reads.ownSessions(speaker, { pageSize: 2 });
    expect(store.speakerQueries[0]).toMatchObject({
      expertId: 'expert-1',
      period: 'upcoming',
      since: NOW,
    });
    expect(first.nextPageToken).toBe(`p~${NOW.getTime()}~`);

    store.page = { items: [session()], nextPageToken: 'inner.cursor' };
    const pastPage = await reads.ownSessions(speaker, { pageToken: first.nextPageToken ?? '' });
    expect(store.speakerQueries[1]).toMatchObject({ period: 'past', since: NOW });
    expect(store.speakerQueries[1]?.pageToken).toBeUndefined();
    expect(pastPage.nextPageToken).toBe(`p~${NOW.getTime()}~inner.cursor`);

    store.page = { items: [], nextPageToken: null };
    const last = await reads.ownSessions(speaker, { pageToken: pastPage.nextPageToken ?? '' });
    expect(store.speakerQueries[2]?.pageToken).toBe('inner.cursor');
    expect(last.nextPageToken).toBeNull();
  });

  it('when the page token is not one of the walk’s or the expert is not in the pool, then CURSOR_INVALID and EXPERT_NOT_IN_POOL', async () => {
    const reads = readsOf(new FakeSessions());
    expect(await codeOf(reads.ownSessions(speaker, { pageToken: 'x~1~' }))).toBe('CURSOR_INVALID');
    const stranger = principal({ subject: 'stranger', roles: ['expert'] });
    expect(await codeOf(reads.ownSessions(stranger, {}))).toBe('EXPERT_NOT_IN_POOL');
  });
});
