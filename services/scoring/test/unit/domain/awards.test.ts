import { DomainError } from '@learning/domain';
import { describe, expect, it } from 'vitest';
import {
  checkConsent,
  checkMayReview,
  checkNomination,
  checkRoundTerms,
  checkStanding,
  meanScore,
  newlyApproved,
  parseYuan,
  phaseOf,
  type Consent,
  type RoundTerms,
} from '../../../src/domain/awards.js';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
};

const terms: RoundTerms = {
  year: 2026,
  category: 'exemplary_individual',
  organizationKind: null,
  nominationsClose: '2026-12-20',
  materialAwardFen: 500_000,
  fundingLineId: 'line-1',
};

describe('a round’s terms', () => {
  it('when they are complete, then they pass', () => {
    expect(
      codeOf(() => {
        checkRoundTerms(terms, '2026-12-01');
      }),
    ).toBeUndefined();
  });

  it.each([
    [{ category: 'exemplary_organization' as const }, 'ROUND_ORGANIZATION_KIND_REQUIRED'],
    [{ organizationKind: 'family' as const }, 'ROUND_ORGANIZATION_KIND_NOT_FOR_CATEGORY'],
    [{ nominationsClose: '2026-11-30' }, 'ROUND_CLOSE_PAST'],
    [{ nominationsClose: '2028-01-10' }, 'ROUND_CLOSE_NOT_IN_YEAR'],
    [{ fundingLineId: null }, 'ROUND_FUNDING_LINE_REQUIRED'],
  ])('when %o, then %s', (change, code) => {
    expect(
      codeOf(() => {
        checkRoundTerms({ ...terms, ...change }, '2026-12-01');
      }),
    ).toBe(code);
  });

  it('when the award is honorary, then no funding line is needed', () => {
    const honorary = { ...terms, materialAwardFen: 0, fundingLineId: null };
    expect(
      codeOf(() => {
        checkRoundTerms(honorary, '2026-12-01');
      }),
    ).toBeUndefined();
  });

  it('when yuan are typed, then they become fen up to the ceiling, and anything else is refused', () => {
    expect(parseYuan('5000.00')).toBe(500_000);
    expect(parseYuan('0')).toBe(0);
    expect(parseYuan('12.5')).toBe(1250);
    expect(parseYuan('1000000')).toBe(100_000_000);
    for (const text of ['-1', '1.234', '01', '', '5e3', '1000000.01', '10000000'])
      expect(
        codeOf(() => parseYuan(text)),
        text,
      ).toBe('ROUND_AMOUNT_INVALID');
  });
});

describe('the round’s phases', () => {
  const open = { status: 'open' as const, nominationsClose: '2026-12-20' };

  it('when the close day has not passed, then it takes nominations; the day after, it is in review; once published, published', () => {
    expect(phaseOf(open, '2026-12-20')).toBe('nominating');
    expect(phaseOf(open, '2026-12-21')).toBe('reviewing');
    expect(phaseOf({ ...open, status: 'published' }, '2026-12-01')).toBe('published');
  });

  it('when a nomination comes after the close, then NOMINATION_CLOSED', () => {
    const round = { ...terms, status: 'open' as const };
    const person = { kind: 'person' as const, organizationKind: null };
    expect(
      codeOf(() => {
        checkNomination(round, person, '2026-12-20');
      }),
    ).toBeUndefined();
    expect(
      codeOf(() => {
        checkNomination(round, person, '2026-12-21');
      }),
    ).toBe('NOMINATION_CLOSED');
  });

  it('when the nominee is not what the round awards, then NOMINEE_KIND_MISMATCH', () => {
    const persons = { ...terms, status: 'open' as const };
    const families = {
      ...terms,
      category: 'exemplary_organization' as const,
      organizationKind: 'family' as const,
      status: 'open' as const,
    };
    const enterprise = { kind: 'organization' as const, organizationKind: 'enterprise' as const };
    expect(
      codeOf(() => {
        checkNomination(persons, enterprise, '2026-12-01');
      }),
    ).toBe('NOMINEE_KIND_MISMATCH');
    expect(
      codeOf(() => {
        checkNomination(families, enterprise, '2026-12-01');
      }),
    ).toBe('NOMINEE_KIND_MISMATCH');
    expect(
      codeOf(() => {
        checkNomination(
          families,
          { kind: 'organization', organizationKind: 'family' },
          '2026-12-01',
        );
      }),
    ).toBeUndefined();
  });
});

describe('an exemplary organization’s standing', () => {
  const locked = {
    assessmentId: 'a-1',
    locked: true,
    passed: true,
    score: 8725,
    rank: 1,
    rankedOutOf: 3,
  };

  it('when there is no assessment or it is provisional, then NOMINATION_ASSESSMENT_NOT_LOCKED', () => {
    expect(
      codeOf(() => {
        checkStanding(undefined);
      }),
    ).toBe('NOMINATION_ASSESSMENT_NOT_LOCKED');
    expect(
      codeOf(() => {
        checkStanding({ ...locked, locked: false });
      }),
    ).toBe('NOMINATION_ASSESSMENT_NOT_LOCKED');
  });

  it('when the locked result did not pass, then NOMINATION_STANDARD_NOT_MET; when it did, it stands', () => {
    expect(
      codeOf(() => {
        checkStanding({ ...locked, passed: false });
      }),
    ).toBe('NOMINATION_STANDARD_NOT_MET');
    expect(
      codeOf(() => {
        checkStanding(locked);
      }),
    ).toBeUndefined();
  });
});

describe('recusal', () => {
  const ofOrganization = {
    nomineeKind: 'organization' as const,
    nomineeId: 'org-1',
    recusedExpertIds: [],
  };
  const ofPerson = { nomineeKind: 'person' as const, nomineeId: 'p-1', recusedExpertIds: [] };

  it('when the expert belongs to or administers the nominated organization, then REVIEW_CONFLICT_OF_INTEREST', () => {
    expect(
      codeOf(() => {
        checkMayReview(ofOrganization, 'e-1', { organizationIds: ['org-1'], participantId: null });
      }),
    ).toBe('REVIEW_CONFLICT_OF_INTEREST');
  });

  it('when the expert is the nominated person, then REVIEW_CONFLICT_OF_INTEREST', () => {
    expect(
      codeOf(() => {
        checkMayReview(ofPerson, 'e-1', { organizationIds: [], participantId: 'p-1' });
      }),
    ).toBe('REVIEW_CONFLICT_OF_INTEREST');
  });

  it('when the expert declared a recusal, then REVIEW_RECUSED', () => {
    expect(
      codeOf(() => {
        checkMayReview({ ...ofPerson, recusedExpertIds: ['e-1'] }, 'e-1', {
          organizationIds: [],
          participantId: null,
        });
      }),
    ).toBe('REVIEW_RECUSED');
  });

  it('when the expert is tied to other organizations, then they may score', () => {
    expect(
      codeOf(() => {
        checkMayReview(ofOrganization, 'e-1', { organizationIds: ['org-2'], participantId: 'p-9' });
      }),
    ).toBeUndefined();
  });

  it('when scores are averaged, then the mean is in hundredths, and none before the first', () => {
    expect(meanScore([])).toBeNull();
    expect(meanScore([80, 85, 90])).toBe(8500);
    expect(meanScore([80, 81, 81])).toBe(8067);
  });
});

describe('the places an approval fills', () => {
  it('when approving within the places, then the new ones are added once each', () => {
    expect(newlyApproved(['n-2', 'n-3', 'n-2'], ['n-1'], 3, 'reviewing')).toEqual(['n-2', 'n-3']);
  });

  it('when approving approved nominations again, then nothing is added', () => {
    expect(newlyApproved(['n-1'], ['n-1'], 1, 'reviewing')).toEqual([]);
  });

  it('when the approval would exceed the places, then AWARD_PLACES_EXCEEDED', () => {
    expect(codeOf(() => newlyApproved(['n-2', 'n-3'], ['n-1'], 2, 'reviewing'))).toBe(
      'AWARD_PLACES_EXCEEDED',
    );
  });

  it('when the round takes nominations or is published, then APPROVAL_NOT_OPEN', () => {
    expect(codeOf(() => newlyApproved(['n-1'], [], 2, 'nominating'))).toBe('APPROVAL_NOT_OPEN');
    expect(codeOf(() => newlyApproved(['n-1'], [], 2, 'published'))).toBe('APPROVAL_NOT_OPEN');
  });
});

describe('a case’s consent', () => {
  const consent: Consent = {
    given: true,
    by: 'p-1',
    recordedOn: '2026-12-22',
    documentRef: 'file-store://consents/p-1.pdf',
    withdrawnAt: null,
  };
  const person = { kind: 'person' as const, id: 'p-1' };
  const organization = { kind: 'organization' as const, id: 'org-1' };

  it('when the person consented, then the case may be published', () => {
    expect(
      codeOf(() => {
        checkConsent(consent, person, []);
      }),
    ).toBeUndefined();
  });

  it.each([
    ['none recorded', null],
    ['not given', { ...consent, given: false }],
    ['by someone else', { ...consent, by: 'p-2' }],
    ['withdrawn', { ...consent, withdrawnAt: new Date('2026-12-23T00:00:00Z') }],
    ['without its document', { ...consent, documentRef: ' ' }],
  ])('when the consent is %s, then CASE_CONSENT_MISSING', (_label, given) => {
    expect(
      codeOf(() => {
        checkConsent(given, person, []);
      }),
    ).toBe('CASE_CONSENT_MISSING');
  });

  it('when an organization’s case has its admin’s consent, then it stands; a member’s does not', () => {
    expect(
      codeOf(() => {
        checkConsent(consent, organization, ['p-1']);
      }),
    ).toBeUndefined();
    expect(
      codeOf(() => {
        checkConsent(consent, organization, ['p-7']);
      }),
    ).toBe('CASE_CONSENT_MISSING');
  });
});
