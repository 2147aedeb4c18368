import { auditTrail } from '@learning/audit';
import { AppError } from '@learning/errors';
import { topics, type OutboxEntry } from '@learning/events';
import { scopeAllows, type Scope } from '@learning/auth';
import { createPiiVault, generatePiiEnvironment, piiKeysFrom } from '@learning/pii';
import { jurisdictionTree } from '@learning/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  claimCodeHash,
  claimParticipant,
  issueClaimCode,
  newClaimCode,
  type ClaimParticipantDeps,
} from '../../../src/application/participants/claim-participant.js';
import type {
  ClaimTarget,
  ClaimWrite,
  ParticipantClaimStore,
  ParticipantRecord,
} from '../../../src/application/participants/participant-repository.js';
import {
  registerFor,
  registerSelf,
  type RegistrationInput,
} from '../../../src/application/participants/register-participant.js';
import type { PendingClaimCode } from '../../../src/domain/participants.js';
import { isShortCode } from '../../../src/domain/short-codes.js';
import { idNumberOf } from '../../support/people.js';
import { FakeJurisdictionRepository } from './fake-jurisdiction-repository.js';
import { areaOfficer, FakeParticipantRepository, person } from './participants-fakes.js';

const tree = jurisdictionTree({ townships: 2, villagesPerTownship: 2 });
const [, township1, village11, , township2] = tree.map((node) => node.code) as [
  string,
  string,
  string,
  string,
  string,
];
const DAY_MS = 24 * 60 * 60 * 1000;
const pii = createPiiVault(piiKeysFrom(generatePiiEnvironment()));
const audit = auditTrail('registration', topics.registrationAudit);
const ID_NUMBER = idNumberOf('19900101', '321');

const input = (overrides: Partial<RegistrationInput> = {}): RegistrationInput => ({
  name: 'Li Ming',
  tier: 'ordinary_citizen',
  homeJurisdiction: village11,
  idNumber: ID_NUMBER,
  phone: null,
  language: 'zh-CN',
  consent: { notifications: true },
  ...overrides,
});

/** The participant fake with the claim codes beside the records, as the Mongo adapter keeps them. */
class FakeClaimingRepository extends FakeParticipantRepository implements ParticipantClaimStore {
  readonly codes = new Map<string, PendingClaimCode>();

  async claimTargetByIdNumberHash(scope: Scope, hash: string): Promise<ClaimTarget | null> {
    const record = await this.byIdNumberHash(scope, hash);
    return record === null ? null : { record, claimCode: this.codes.get(record.id) ?? null };
  }

  async issueClaimCode(
    scope: Scope,
    id: string,
    claimCode: PendingClaimCode,
    events: readonly OutboxEntry[],
  ): Promise<'issued' | 'claimed' | 'not_found'> {
    const record = await this.byId(scope, id);
    if (record === null) return 'not_found';
    if (record.accountSubject !== null) return 'claimed';
    this.codes.set(id, claimCode);
    this.written.push(...events);
    return 'issued';
  }

  async claim(
    scope: Scope,
    id: string,
    write: ClaimWrite,
    events: readonly OutboxEntry[],
  ): Promise<ParticipantRecord | null> {
    await this.beforeWrite();
    const record = this.records.get(id);
    const code = this.codes.get(id);
    if (
      record === undefined ||
      !scopeAllows(scope, record.jurisdictionPath) ||
      record.version !== write.expectedVersion ||
      record.accountSubject !== null ||
      code?.hash !== write.codeHash ||
      code.expiresAt.getTime() <= write.now.getTime()
    )
      return null;
    const claimed = {
      ...record,
      accountSubject: write.accountSubject,
      updatedAt: write.now,
      version: record.version + 1,
    };
    this.records.set(id, claimed);
    this.codes.delete(id);
    this.written.push(...events);
    return claimed;
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an AppError');
}

let participants: FakeClaimingRepository;
let now: Date;
let deps: ClaimParticipantDeps & Parameters<typeof registerFor>[0];
let ids = 0;

beforeEach(() => {
  participants = new FakeClaimingRepository();
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
  now = new Date('2025-06-01T08:00:00Z');
  deps = {
    participants,
    claims: participants,
    jurisdictions,
    pii,
    audit,
    clock: () => now,
    newId: () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
    claimCodeValidityDays: 14,
  };
});

/** An officer-made record in township 1 and a code issued for it. */
async function recordWithCode(): Promise<{ record: ParticipantRecord; code: string }> {
  const record = await registerFor(deps)(areaOfficer(township1), input());
  const { code } = await issueClaimCode(deps)(areaOfficer(township1), record.id);
  return { record, code };
}

describe('newClaimCode', () => {
  it('when codes are drawn, then each has 8 characters of the alphabet and they differ', () => {
    const codes = Array.from({ length: 200 }, () => newClaimCode());
    for (const code of codes) expect(isShortCode(code)).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('issueClaimCode', () => {
  it('when an officer issues a code in scope, then only its keyed hash is kept, with the configured expiry, and an audit record without it', async () => {
    const record = await registerFor(deps)(areaOfficer(township1), input());
    const issued = await issueClaimCode(deps)(areaOfficer(township1), record.id);

    expect(issued.expiresAt.getTime()).toBe(now.getTime() + 14 * DAY_MS);
    expect(participants.codes.get(record.id)).toEqual({
      hash: claimCodeHash(pii, record.id, issued.code),
      expiresAt: issued.expiresAt,
    });
    const entry = participants.written.at(-1);
    expect(entry?.data).toMatchObject({
      action: 'participant.claim_code_issue',
      entityId: record.id,
      after: { claimCodeExpiresAt: issued.expiresAt.toISOString() },
    });
    const written = JSON.stringify(participants.written);
    expect(written).not.toContain(issued.code);
    expect(written).not.toContain(participants.codes.get(record.id)?.hash);
  });

  it('when the record is outside the officer area, then PARTICIPANT_NOT_FOUND; when it has an account, PARTICIPANT_ALREADY_CLAIMED', async () => {
    const record = await registerFor(deps)(areaOfficer(township1), input());
    expect(await codeOf(issueClaimCode(deps)(areaOfficer(township2), record.id))).toBe(
      'PARTICIPANT_NOT_FOUND',
    );

    const { participant } = await registerSelf(deps)(
      person('sub-self'),
      input({ idNumber: idNumberOf('19900101', '654') }),
    );
    expect(await codeOf(issueClaimCode(deps)(areaOfficer(township1), participant.id))).toBe(
      'PARTICIPANT_ALREADY_CLAIMED',
    );
    expect(participants.codes.size).toBe(0);
  });
});

describe('claimParticipant', () => {
  it('when the person gives the ID number and the live code, then the record is theirs, the code spent, and one updated event and a claim audit record are written', async () => {
    const { record, code } = await recordWithCode();
    const written = participants.written.length;

    const result = await claimParticipant(deps)(person('sub-1'), {
      idNumber: ID_NUMBER.toLowerCase(),
      claimCode: `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`,
    });

    expect(result.claimed).toBe(true);
    expect(result.participant).toMatchObject({
      id: record.id,
      accountSubject: 'sub-1',
      source: 'officer',
      version: 2,
    });
    expect(participants.codes.has(record.id)).toBe(false);
    const [event, entry, ...rest] = participants.written.slice(written);
    expect(rest).toEqual([]);
    expect(event?.data).toMatchObject({
      participantId: record.id,
      changedFields: ['account'],
      updatedBy: 'sub-1',
      version: '2',
    });
    expect(entry?.data).toMatchObject({
      action: 'participant.claim',
      before: { hasAccount: false },
      after: { hasAccount: true },
    });
    expect(JSON.stringify(participants.written)).not.toContain(ID_NUMBER);
  });

  it('when the same account claims again, then its record comes back and nothing is written', async () => {
    const { code } = await recordWithCode();
    const first = await claimParticipant(deps)(person('sub-1'), {
      idNumber: ID_NUMBER,
      claimCode: code,
    });
    const written = participants.written.length;

    const again = await claimParticipant(deps)(person('sub-1'), {
      idNumber: ID_NUMBER,
      claimCode: code,
    });

    expect(again).toEqual({ participant: first.participant, claimed: false });
    expect(participants.written).toHaveLength(written);
  });

  it('when the code is wrong, replaced, expired or spent, or the ID number is another, then the same PARTICIPANT_CLAIM_REFUSED', async () => {
    const { record, code } = await recordWithCode();
    const claim = claimParticipant(deps);
    const wrongCode = code.replace(/./g, (c) => (c === 'A' ? 'B' : 'A'));
    const refusals: Promise<unknown>[] = [
      claim(person('sub-wrong'), { idNumber: ID_NUMBER, claimCode: wrongCode }),
      claim(person('sub-other-number'), {
        idNumber: idNumberOf('19900101', '999'),
        claimCode: code,
      }),
    ];
    const errors = await Promise.all(refusals.map((p) => p.catch((e: unknown) => e)));

    // A new code replaces the old one.
    const { code: second } = await issueClaimCode(deps)(areaOfficer(township1), record.id);
    errors.push(
      await claim(person('sub-replaced'), { idNumber: ID_NUMBER, claimCode: code }).catch(
        (e: unknown) => e,
      ),
    );
    // Expired: the clock passes the 14 days.
    now = new Date(now.getTime() + 14 * DAY_MS);
    errors.push(
      await claim(person('sub-late'), { idNumber: ID_NUMBER, claimCode: second }).catch(
        (e: unknown) => e,
      ),
    );
    // Spent: a fresh code is claimed once; a second account with it is refused.
    const { code: third } = await issueClaimCode(deps)(areaOfficer(township1), record.id);
    await claim(person('sub-winner'), { idNumber: ID_NUMBER, claimCode: third });
    errors.push(
      await claim(person('sub-second'), { idNumber: ID_NUMBER, claimCode: third }).catch(
        (e: unknown) => e,
      ),
    );

    expect(errors).toHaveLength(5);
    const answers = errors.map((error) => {
      expect(error).toBeInstanceOf(AppError);
      const { kind, code: errorCode, message } = error as AppError;
      return { kind, code: errorCode, message };
    });
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0]).toMatchObject({
      kind: 'permission_denied',
      code: 'PARTICIPANT_CLAIM_REFUSED',
    });
    expect(participants.records.get(record.id)?.accountSubject).toBe('sub-winner');
  });

  it('when the code or the ID number is malformed, then 400 codes that say nothing about records', async () => {
    await recordWithCode();
    const claim = claimParticipant(deps);
    expect(
      await codeOf(claim(person('sub-1'), { idNumber: ID_NUMBER, claimCode: 'K7QM4XP0' })),
    ).toBe('CLAIM_CODE_FORMAT');
    expect(await codeOf(claim(person('sub-1'), { idNumber: '123', claimCode: 'K7QM4XPR' }))).toBe(
      'ID_NUMBER_FORMAT',
    );
  });

  it('when the account already has a record, then ACCOUNT_ALREADY_REGISTERED, even with a right code', async () => {
    const { code } = await recordWithCode();
    await registerSelf(deps)(person('sub-1'), input({ idNumber: idNumberOf('19900101', '777') }));

    expect(
      await codeOf(
        claimParticipant(deps)(person('sub-1'), { idNumber: ID_NUMBER, claimCode: code }),
      ),
    ).toBe('ACCOUNT_ALREADY_REGISTERED');
  });

  it('when two accounts claim with the same code at once, then exactly one wins and one event is written', async () => {
    const { record, code } = await recordWithCode();
    const written = participants.written.length;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    participants.beforeWrite = () => gate;

    const claim = claimParticipant(deps);
    const racing = [
      claim(person('sub-a'), { idNumber: ID_NUMBER, claimCode: code }),
      claim(person('sub-b'), { idNumber: ID_NUMBER, claimCode: code }),
    ].map((p) => p.then(() => 'claimed').catch((e: unknown) => (e as AppError).code));
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();

    expect((await Promise.all(racing)).sort()).toEqual(['PARTICIPANT_CLAIM_REFUSED', 'claimed']);
    expect(participants.written.slice(written)).toHaveLength(2);
    expect(['sub-a', 'sub-b']).toContain(participants.records.get(record.id)?.accountSubject);
  });
});

describe('registerSelf against a record waiting to be claimed', () => {
  it('when a person registers the ID number of an officer-made record, then PARTICIPANT_CLAIM_REQUIRED; of a claimed one, PARTICIPANT_ALREADY_REGISTERED', async () => {
    const { code } = await recordWithCode();

    const waiting = await registerSelf(deps)(person('sub-1'), input()).catch((e: unknown) => e);
    expect(waiting).toBeInstanceOf(AppError);
    expect((waiting as AppError).code).toBe('PARTICIPANT_CLAIM_REQUIRED');
    expect((waiting as AppError).kind).toBe('conflict');

    await claimParticipant(deps)(person('sub-1'), { idNumber: ID_NUMBER, claimCode: code });
    expect(await codeOf(registerSelf(deps)(person('sub-2'), input()))).toBe(
      'PARTICIPANT_ALREADY_REGISTERED',
    );
  });
});
