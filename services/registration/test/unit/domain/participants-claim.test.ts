import { refusalOf } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import {
  awaitsClaim,
  claimCodeExpiry,
  claimOutcome,
  parseClaimCode,
  type ClaimAttempt,
} from '../../../src/domain/participants.js';

describe('parseClaimCode', () => {
  it('when the code is typed in lower case with spaces or hyphens, then its upper-case form is returned', () => {
    expect(parseClaimCode('k7qm-4xpr')).toBe('K7QM4XPR');
    expect(parseClaimCode(' K7QM 4XPR ')).toBe('K7QM4XPR');
  });

  it('when the code has the wrong length or a look-alike character, then CLAIM_CODE_FORMAT', () => {
    for (const raw of ['', 'K7QM4XP', 'K7QM4XPRS', 'K7QM4XP0', 'K7QM4XPO', 'K7QM4XP1', 'K7QM$XPR'])
      expect(refusalOf(() => parseClaimCode(raw))).toMatchObject({ code: 'CLAIM_CODE_FORMAT' });
  });
});

describe('claimCodeExpiry', () => {
  it('when a code is issued, then it expires the given number of whole days later', () => {
    expect(claimCodeExpiry(new Date('2025-06-01T08:00:00Z'), 14).toISOString()).toBe(
      '2025-06-15T08:00:00.000Z',
    );
  });
});

describe('awaitsClaim', () => {
  it('when a record has no account, then it waits to be claimed; with one, it does not', () => {
    expect(awaitsClaim({ accountSubject: null })).toBe(true);
    expect(awaitsClaim({ accountSubject: 'sub-1' })).toBe(false);
  });
});

describe('claimOutcome', () => {
  const now = new Date('2025-06-01T08:00:00Z');
  const live = { hash: 'h', expiresAt: new Date('2025-06-10T00:00:00Z') };
  const attempt = (overrides: Partial<ClaimAttempt> = {}): ClaimAttempt => ({
    holder: { accountSubject: null, claimCode: live },
    accountHasRecord: false,
    codeMatches: true,
    now,
    ...overrides,
  });

  it('when the record has no account and the code matches and is live, then it is claimed', () => {
    expect(claimOutcome(attempt(), 'sub-1')).toBe('claim');
  });

  it('when the account already holds the record, then its record comes back', () => {
    expect(
      claimOutcome(
        attempt({
          holder: { accountSubject: 'sub-1', claimCode: null },
          accountHasRecord: true,
          codeMatches: false,
        }),
        'sub-1',
      ),
    ).toBe('existing');
  });

  it('when the account has a record of its own, then the account is taken, whatever the code', () => {
    expect(claimOutcome(attempt({ accountHasRecord: true }), 'sub-1')).toBe('account_taken');
  });

  it('when nothing holds the number, the code is wrong, expired, spent or the record has an account, then one refusal', () => {
    const refusals = [
      attempt({ holder: null }),
      attempt({ codeMatches: false }),
      attempt({ holder: { accountSubject: null, claimCode: null } }),
      attempt({ holder: { accountSubject: 'sub-2', claimCode: live } }),
      // Expiry is exclusive: at the instant it expires, the code no longer works.
      attempt({ holder: { accountSubject: null, claimCode: { ...live, expiresAt: now } } }),
      attempt({ now: new Date('2025-06-10T00:00:01Z') }),
    ];
    expect(refusals.map((refused) => claimOutcome(refused, 'sub-1'))).toEqual(
      refusals.map(() => 'refused'),
    );
  });
});
