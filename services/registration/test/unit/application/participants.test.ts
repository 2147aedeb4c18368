import { randomUUID } from 'node:crypto';
import { auditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { topics } from '@learning/events';
import { createPiiVault, generatePiiEnvironment, piiKeysFrom } from '@learning/pii';
import { jurisdictionTree } from '@learning/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  getContacts,
  getDirectoryParticipants,
  countAudience,
  resolveAudience,
} from '../../../src/application/participants/directory.js';
import { correctParticipant } from '../../../src/application/participants/correct-participant.js';
import {
  getParticipant,
  searchParticipants,
} from '../../../src/application/participants/officer-reads.js';
import {
  correctOwnParticipant,
  getOwnParticipant,
} from '../../../src/application/participants/own-participant.js';
import {
  registerFor,
  registerSelf,
  type RegistrationInput,
} from '../../../src/application/participants/register-participant.js';
import { maskedView, ownView } from '../../../src/application/participants/views.js';
import { FakeJurisdictionRepository } from './fake-jurisdiction-repository.js';
import { idNumberOf } from '../../support/people.js';
import {
  areaOfficer,
  FakeAudienceSource,
  FakeParticipantRepository,
  person,
} from './participants-fakes.js';

const tree = jurisdictionTree({ townships: 2, villagesPerTownship: 2 });
const [city, township1, village11, , township2, village21] = tree.map((node) => node.code) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const now = new Date('2025-06-01T08:00:00Z');
const pii = createPiiVault(piiKeysFrom(generatePiiEnvironment()));
const audit = auditTrail('registration', topics.registrationAudit);

const service = (name: string): Principal => ({
  subject: `svc-${name}`,
  roles: ['service'],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
  service: name,
});

const PHONE = '13800138000';
const input = (overrides: Partial<RegistrationInput> = {}): RegistrationInput => ({
  name: ' Li  Ming ',
  tier: 'ordinary_citizen',
  homeJurisdiction: village11,
  idNumber: idNumberOf('19900101', '123'),
  phone: `+86 ${PHONE}`,
  language: 'zh-CN',
  consent: { notifications: true },
  ...overrides,
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an AppError');
}

let participants: FakeParticipantRepository;
let deps: Parameters<typeof registerSelf>[0];
let ids = 0;

beforeEach(() => {
  participants = new FakeParticipantRepository();
  const jurisdictions = new FakeJurisdictionRepository();
  for (const node of tree)
    jurisdictions.stored.set(node.code, {
      code: node.code,
      name: node.name,
      level: node.level,
      parentCode: node.path.at(-2) ?? null,
      path: node.path,
      version: 1,
    });
  deps = {
    participants,
    jurisdictions,
    pii,
    audit,
    clock: () => now,
    newId: () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
  };
});

describe('registerSelf', () => {
  it('when a person registers, then the record is theirs, normalized, protected, and announced with an audit record', async () => {
    const { participant, created } = await registerSelf(deps)(person('sub-1'), input());

    expect(created).toBe(true);
    expect(participant).toMatchObject({
      accountSubject: 'sub-1',
      name: 'Li Ming',
      jurisdictionPath: [city, township1, village11],
      birthDate: '1990-01-01',
      source: 'self',
      version: 1,
    });
    expect(participant.phone?.masked).toBe('138****8000');
    expect(participant.idNumber.hash).toBe(pii.blindIndex('id-number', idNumberOf()));
    expect(pii.decrypt(participant.idNumber.sealed)).toBe(idNumberOf());
    expect(participants.written.map((entry) => entry.type)).toEqual([
      'registration.participant.registered.v1',
      'registration.audit.recorded.v1',
    ]);
    const everything = JSON.stringify(participants.written);
    expect(everything).not.toContain(PHONE);
    expect(everything).not.toContain(idNumberOf());
    expect(everything).toContain('138****8000');
  });

  it('when the same account registers the same ID number again, then its record comes back and nothing is written', async () => {
    const first = await registerSelf(deps)(person('sub-1'), input());
    const again = await registerSelf(deps)(person('sub-1'), input({ name: 'Other' }));

    expect(again).toEqual({ participant: first.participant, created: false });
    expect(participants.written).toHaveLength(2);
  });

  it('when another account registers a taken ID number, then it is a conflict that does not say whose', async () => {
    await registerSelf(deps)(person('sub-1'), input());

    const error = await registerSelf(deps)(person('sub-2'), input()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('PARTICIPANT_ALREADY_REGISTERED');
    expect((error as AppError).message).not.toContain('sub-1');
  });

  it('when an account with a record registers another ID number, then it is ACCOUNT_ALREADY_REGISTERED', async () => {
    await registerSelf(deps)(person('sub-1'), input());

    expect(
      await codeOf(
        registerSelf(deps)(person('sub-1'), input({ idNumber: idNumberOf('19850505', '456') })),
      ),
    ).toBe('ACCOUNT_ALREADY_REGISTERED');
  });

  it('when the same account registers twice at once, then one record is made and both get it', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    participants.beforeWrite = () => gate;
    const both = Promise.all([
      registerSelf(deps)(person('sub-1'), input()),
      registerSelf(deps)(person('sub-1'), input()),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    const [a, b] = await both;

    expect(participants.records.size).toBe(1);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.participant.id).toBe(b.participant.id);
  });

  it('when the home jurisdiction is unknown or the identifiers are malformed, then stable codes refuse it', async () => {
    const register = registerSelf(deps);
    expect(await codeOf(register(person('s'), input({ homeJurisdiction: '999999999999' })))).toBe(
      'JURISDICTION_UNKNOWN',
    );
    expect(
      await codeOf(register(person('s'), input({ idNumber: idNumberOf().slice(0, 17) + 'Y' }))),
    ).toBe('ID_NUMBER_FORMAT');
    expect(await codeOf(register(person('s'), input({ phone: '12345' })))).toBe('PHONE_FORMAT');
    expect(await codeOf(register(person('s'), input({ name: '\u0000' })))).toBe(
      'PARTICIPANT_NAME_INVALID',
    );
    expect(participants.records.size).toBe(0);
  });
});

describe('registerFor', () => {
  it('when an officer registers someone in their area, then the record has no account and source officer', async () => {
    const record = await registerFor(deps)(areaOfficer(township1), input({ phone: null }));

    expect(record).toMatchObject({ accountSubject: null, source: 'officer', phone: null });
  });

  it('when the home is outside the officer’s area, then it is OUT_OF_SCOPE even for a registered number', async () => {
    await registerSelf(deps)(person('sub-1'), input({ homeJurisdiction: village21 }));

    expect(
      await codeOf(
        registerFor(deps)(areaOfficer(township1), input({ homeJurisdiction: village21 })),
      ),
    ).toBe('OUT_OF_SCOPE');
  });

  it('when the number is registered anywhere, then an officer gets PARTICIPANT_ALREADY_REGISTERED', async () => {
    await registerSelf(deps)(person('sub-1'), input({ homeJurisdiction: village21 }));

    expect(await codeOf(registerFor(deps)(areaOfficer(township1), input()))).toBe(
      'PARTICIPANT_ALREADY_REGISTERED',
    );
  });
});

describe('own participant', () => {
  it('when the account has no record, then reading it is PARTICIPANT_NOT_FOUND', async () => {
    expect(await codeOf(getOwnParticipant(deps)(person('nobody')))).toBe('PARTICIPANT_NOT_FOUND');
  });

  it('when a person corrects phone and consent, then the change is written with the changed field names', async () => {
    await registerSelf(deps)(person('sub-1'), input());
    participants.written.length = 0;

    const updated = await correctOwnParticipant(deps)(person('sub-1'), {
      expectedVersion: 1,
      phone: '139-0013-9000',
      consent: { notifications: false },
      language: 'zh-CN',
    });

    expect(updated.version).toBe(2);
    expect(updated.phone?.masked).toBe('139****9000');
    expect(updated.consent.notifications).toBe(false);
    const [event, record] = participants.written;
    expect(event?.type).toBe('registration.participant.updated.v1');
    expect(event?.data).toMatchObject({
      // Withdrawing the one consented channel changes both the overall answer and the channels.
      changedFields: ['phone', 'notificationsConsent', 'notificationConsents'],
      version: '2',
    });
    expect(JSON.stringify(record?.data)).toContain('139****9000');
    expect(JSON.stringify(participants.written)).not.toContain('13900139000');
  });

  it('when the correction changes nothing, then nothing is written and the version stays', async () => {
    await registerSelf(deps)(person('sub-1'), input());
    participants.written.length = 0;

    const same = await correctOwnParticipant(deps)(person('sub-1'), {
      expectedVersion: 1,
      name: 'Li Ming',
      phone: PHONE,
    });

    expect(same.version).toBe(1);
    expect(participants.written).toEqual([]);
  });

  it('when the version is stale, then it is VERSION_CONFLICT and nothing changes', async () => {
    await registerSelf(deps)(person('sub-1'), input());
    await correctOwnParticipant(deps)(person('sub-1'), { expectedVersion: 1, name: 'Li Hua' });

    expect(
      await codeOf(correctOwnParticipant(deps)(person('sub-1'), { expectedVersion: 1, name: 'X' })),
    ).toBe('VERSION_CONFLICT');
  });

  it('when the home jurisdiction moves, then the audit record is readable in both areas', async () => {
    await registerSelf(deps)(person('sub-1'), input());
    participants.written.length = 0;

    await correctOwnParticipant(deps)(person('sub-1'), {
      expectedVersion: 1,
      homeJurisdiction: village21,
    });

    const auditRecord = participants.written.find((entry) => entry.type.includes('audit'));
    expect(auditRecord?.data).toMatchObject({
      action: 'participant.correct',
      jurisdictionPath: [city, township1, village11, township2, village21],
    });
  });
});

describe('officer corrections', () => {
  const reason = '按户籍窗口核对更正';

  it('when the ID number and tier are corrected, then the birth date follows and the event and audit name both, with the reason', async () => {
    const created = await registerFor(deps)(areaOfficer(township1), input());
    const corrected = await correctParticipant(deps)(areaOfficer(township1), created.id, {
      expectedVersion: 1,
      idNumber: idNumberOf('19700515', '456'),
      tier: 'leading_cadre',
      reason,
    });

    expect(corrected).toMatchObject({ tier: 'leading_cadre', birthDate: '1970-05-15', version: 2 });
    expect(corrected.idNumber.hash).toBe(
      pii.blindIndex('id-number', idNumberOf('19700515', '456')),
    );
    const [event, record] = participants.written.slice(-2);
    expect(event?.data).toMatchObject({ changedFields: ['idNumber', 'tier'] });
    expect(record?.data).toMatchObject({ action: 'participant.officer_correct', reason });
    expect(JSON.stringify(participants.written)).not.toContain(idNumberOf('19700515', '456'));
  });

  it('when the correction repeats what is stored, then nothing is written', async () => {
    const created = await registerFor(deps)(areaOfficer(township1), input());
    const written = participants.written.length;
    const same = await correctParticipant(deps)(areaOfficer(township1), created.id, {
      expectedVersion: 1,
      idNumber: idNumberOf('19900101', '123'),
      tier: 'ordinary_citizen',
      reason,
    });
    expect(same.version).toBe(1);
    expect(participants.written).toHaveLength(written);
  });

  it('when the reason is blank, the person is outside the area or the version is stale, then it is refused', async () => {
    const created = await registerFor(deps)(areaOfficer(township1), input());
    const correct = correctParticipant(deps);
    const change = { expectedVersion: 1, tier: 'pupil' as const, reason };
    expect(
      await codeOf(correct(areaOfficer(township1), created.id, { ...change, reason: ' ' })),
    ).toBe('CORRECTION_REASON_REQUIRED');
    expect(await codeOf(correct(areaOfficer(township2), created.id, change))).toBe(
      'PARTICIPANT_NOT_FOUND',
    );
    expect(
      await codeOf(correct(areaOfficer(township1), created.id, { ...change, expectedVersion: 2 })),
    ).toBe('VERSION_CONFLICT');
  });

  it('when two people are corrected to the same new number at once, then one gets it and the other is told it is registered', async () => {
    const officer = areaOfficer(township1);
    const first = await registerFor(deps)(officer, input());
    const second = await registerFor(deps)(
      officer,
      input({ idNumber: idNumberOf('19900101', '124') }),
    );
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    participants.beforeWrite = () => gate;
    const target = idNumberOf('19851111', '777');
    const outcomes = [first, second].map((record) =>
      correctParticipant(deps)(officer, record.id, {
        expectedVersion: 1,
        idNumber: target,
        reason,
      }),
    );
    release();
    const settled = await Promise.allSettled(outcomes);
    expect(settled.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [refused] = settled.filter((outcome) => outcome.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'PARTICIPANT_ALREADY_REGISTERED' });
  });
});

describe('views', () => {
  it('when shown to an officer, then identifiers are masked; to the person, in full', async () => {
    const { participant } = await registerSelf(deps)(person('sub-1'), input());

    const masked = maskedView(participant);
    expect(masked).toMatchObject({
      idNumberMasked: '330281********1234'.replace('1234', idNumberOf().slice(-4)),
      phoneMasked: '138****8000',
      birthYear: 1990,
    });
    expect(JSON.stringify(masked)).not.toContain(PHONE);
    expect(ownView(participant, pii)).toMatchObject({ phone: PHONE, idNumber: idNumberOf() });
  });
});

describe('officer reads', () => {
  it('when an officer of another township asks for a participant, then it is not found', async () => {
    const { participant } = await registerSelf(deps)(person('sub-1'), input());

    expect(await codeOf(getParticipant(deps)(areaOfficer(township2), participant.id))).toBe(
      'PARTICIPANT_NOT_FOUND',
    );
    expect((await getParticipant(deps)(areaOfficer(township1), participant.id)).id).toBe(
      participant.id,
    );
  });

  it('when searching by phone and ID number, then only their keyed hashes reach the repository', async () => {
    await searchParticipants(deps)(areaOfficer(township1), {
      phone: '138 0013 8000',
      idNumber: idNumberOf().toLowerCase(),
      namePrefix: '  Li  ',
    });

    expect(participants.searches[0]).toEqual({
      pageSize: 50,
      namePrefix: 'Li',
      phoneHash: pii.blindIndex('phone', PHONE),
      idNumberHash: pii.blindIndex('id-number', idNumberOf()),
    });
  });

  it('when the phone filter is malformed, then it is PHONE_FORMAT', async () => {
    expect(await codeOf(searchParticipants(deps)(areaOfficer(township1), { phone: 'x' }))).toBe(
      'PHONE_FORMAT',
    );
  });
});

describe('directory', () => {
  it('when ids are empty, too many or malformed, then PARTICIPANT_IDS_INVALID', async () => {
    const get = getDirectoryParticipants(deps);
    expect(await codeOf(get([]))).toBe('PARTICIPANT_IDS_INVALID');
    expect(await codeOf(get(Array.from({ length: 501 }, () => deps.newId())))).toBe(
      'PARTICIPANT_IDS_INVALID',
    );
    expect(await codeOf(get(['{"$gt":""}']))).toBe('PARTICIPANT_IDS_INVALID');
  });

  it('when a service other than notifications asks for contacts, then CONTACTS_FORBIDDEN', async () => {
    const { participant } = await registerSelf(deps)(person('sub-1'), input());

    expect(await codeOf(getContacts(deps)(service('scoring'), [participant.id]))).toBe(
      'CONTACTS_FORBIDDEN',
    );
  });

  it('when notifications asks, then it gets full phones of consenting participants only', async () => {
    const a = await registerSelf(deps)(person('a'), input());
    const b = await registerSelf(deps)(
      person('b'),
      input({ idNumber: idNumberOf('19800101', '222'), consent: { notifications: false } }),
    );
    const c = await registerSelf(deps)(
      person('c'),
      input({ idNumber: idNumberOf('19800101', '333'), phone: null }),
    );

    const contacts = await getContacts(deps)(service('notifications'), [
      a.participant.id,
      b.participant.id,
      c.participant.id,
    ]);

    expect(contacts).toEqual([
      {
        participantId: a.participant.id,
        phone: PHONE,
        email: '',
        wechatOpenId: '',
        language: 'zh-CN',
      },
    ]);
  });

  it('when a person consents to some channels only, then notifications gets only those addresses', async () => {
    const openId = 'oAbC_123-xyz45678';
    const emailOnly = await registerSelf(deps)(
      person('a'),
      input({
        email: 'Zhang.San@Example.CN',
        wechatOpenId: openId,
        consent: { sms: false, email: true },
      }),
    );
    const wechatOnly = await registerSelf(deps)(
      person('b'),
      input({
        idNumber: idNumberOf('19800101', '222'),
        wechatOpenId: openId,
        consent: { wechat: true },
      }),
    );
    const consentedWithoutAddress = await registerSelf(deps)(
      person('c'),
      input({ idNumber: idNumberOf('19800101', '333'), consent: { email: true } }),
    );

    const contacts = await getContacts(deps)(service('notifications'), [
      emailOnly.participant.id,
      wechatOnly.participant.id,
      consentedWithoutAddress.participant.id,
    ]);

    expect(contacts).toEqual([
      {
        participantId: emailOnly.participant.id,
        phone: '',
        email: 'Zhang.San@example.cn',
        wechatOpenId: '',
        language: 'zh-CN',
      },
      {
        participantId: wechatOnly.participant.id,
        phone: '',
        email: '',
        wechatOpenId: openId,
        language: 'zh-CN',
      },
    ]);
    expect(emailOnly.participant.consent.notifications).toBe(true);
    expect(maskedView(emailOnly.participant)).toMatchObject({
      emailMasked: 'Z********@example.cn',
      hasWechatOpenId: true,
    });
    expect(JSON.stringify(maskedView(emailOnly.participant))).not.toContain(openId);
    expect(JSON.stringify(ownView(emailOnly.participant, pii))).not.toContain(openId);
  });

  it('when the audience page size is 0, then the maximum is used; out of range or malformed filters are refused', async () => {
    const source = new FakeAudienceSource([[]]);
    const resolve = resolveAudience({ audience: source });
    const signal = new AbortController().signal;
    const filter = { tiers: [], jurisdictionRoots: [], organizationKinds: [] };

    for await (const page of resolve({ ...filter, pageSize: 0 }, signal)) expect(page).toEqual([]);
    expect(source.asked[0]?.pageSize).toBe(1000);

    const refused = (request: Parameters<typeof resolve>[0]): string => {
      try {
        resolve(request, signal);
      } catch (error) {
        if (error instanceof AppError) return error.code;
      }
      return 'accepted';
    };
    expect(refused({ ...filter, pageSize: 1001 })).toBe('AUDIENCE_FILTER_INVALID');
    expect(refused({ ...filter, pageSize: -1 })).toBe('AUDIENCE_FILTER_INVALID');
    expect(refused({ ...filter, jurisdictionRoots: ['$where'], pageSize: 10 })).toBe(
      'AUDIENCE_FILTER_INVALID',
    );
    expect(refused({ ...filter, eventKey: 'no-colon', pageSize: 10 })).toBe(
      'AUDIENCE_FILTER_INVALID',
    );
    expect(refused({ ...filter, eventKey: 'activities:a1', pageSize: 10 })).toBe('accepted');
    expect(refused({ ...filter, afterId: 'not-an-id', pageSize: 10 })).toBe(
      'AUDIENCE_FILTER_INVALID',
    );
    expect(refused({ ...filter, afterId: randomUUID(), pageSize: 10 })).toBe('accepted');
  });

  it('when an audience is counted, then the same filter checks apply before anything is read', async () => {
    const source = new FakeAudienceSource([[]]);
    const count = countAudience({ audience: source });
    const signal = new AbortController().signal;
    const filter = { tiers: [], jurisdictionRoots: [], organizationKinds: [] };

    await expect(count({ ...filter, jurisdictionRoots: ['$where'] }, signal)).rejects.toMatchObject(
      { code: 'AUDIENCE_FILTER_INVALID' },
    );
    expect(source.counted).toEqual([]);
    await expect(count({ ...filter, eventKey: 'activities:a1' }, signal)).resolves.toBe(0);
    expect(source.counted).toEqual([{ ...filter, eventKey: 'activities:a1' }]);
  });
});
