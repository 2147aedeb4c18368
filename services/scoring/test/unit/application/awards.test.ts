import { auditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { topics, type OutboxEntry } from '@learning/events';
import { describe, expect, it } from 'vitest';
import { approveNominations } from '../../../src/application/awards/approve.js';
import type { AwardsDeps } from '../../../src/application/awards/deps.js';
import { nominate } from '../../../src/application/awards/nominate.js';
import type {
  Award,
  AwardRound,
  AwardsStore,
  Nomination,
  Nominee,
} from '../../../src/application/awards/ports.js';
import { reviewNomination } from '../../../src/application/awards/reviews.js';
import { lineExhausted } from '../../../src/application/funding/errors.js';
import type { FundingCommitments, FundingLine } from '../../../src/application/funding/ports.js';

const NOW = new Date('2026-12-22T02:00:00Z');

const principal = (fields: Partial<Principal>): Principal => ({
  subject: 'someone',
  roles: [],
  cityWide: false,
  jurisdictions: [],
  organizations: [],
  ...fields,
});
const office = principal({ subject: 'office', roles: ['city_admin'], cityWide: true });

const round: AwardRound = {
  id: 'round-1',
  year: 2026,
  category: 'exemplary_individual',
  organizationKind: null,
  title: '先进个人',
  nominationsClose: '2026-12-20',
  places: 3,
  materialAwardFen: 500_000,
  fundingLineId: 'line-1',
  status: 'open',
  createdBy: 'office',
  createdAt: NOW,
  publishedAt: null,
};

const person = (id: string, organizationIds: string[] = []): Nominee => ({
  kind: 'person',
  id,
  name: '张晓明',
  organizationKind: null,
  leadDepartment: null,
  jurisdictionPath: ['330281000000', '330281001000'],
  organizationIds,
});

const nomination = (id: string, nominee: Nominee): Nomination => ({
  id,
  roundId: round.id,
  nominee,
  statement: '事迹',
  evidence: { assessment: null, person: { credits: 0, minutes: 0, trainingCompletions: 0 } },
  nominatedBy: 'office',
  reviews: [],
  recusals: [],
  createdAt: NOW,
});

/** The store in memory, granting each nomination once as the unique index does. */
class MemoryStore implements AwardsStore {
  readonly nominationsById = new Map<string, Nomination>();
  readonly awards: Award[] = [];
  readonly events: OutboxEntry[] = [];

  async createRound() {}
  async round(id: string) {
    return id === round.id ? round : null;
  }
  async rounds() {
    return { items: [round], nextPageToken: null };
  }
  async createNomination(created: Nomination) {
    this.nominationsById.set(created.id, created);
  }
  async nomination(id: string) {
    return this.nominationsById.get(id) ?? null;
  }
  async nominations() {
    return { items: [...this.nominationsById.values()], nextPageToken: null };
  }
  async saveReview(id: string, review: Nomination['reviews'][number]) {
    const found = this.nominationsById.get(id);
    if (found === undefined) throw new Error('unknown');
    const saved = { ...found, reviews: [...found.reviews, review] };
    this.nominationsById.set(id, saved);
    return saved;
  }
  async recuse(id: string) {
    const found = this.nominationsById.get(id);
    if (found === undefined) throw new Error('unknown');
    return found;
  }
  async awardsOf(roundId: string) {
    return this.awards.filter((award) => award.roundId === roundId);
  }
  async grant(award: Award, events: readonly OutboxEntry[]) {
    if (this.awards.some((each) => each.nominationId === award.nominationId)) return;
    this.awards.push(award);
    this.events.push(...events);
  }
  async publish() {
    return true;
  }
  async publicAwards() {
    return { items: [], nextPageToken: null };
  }
}

/** A line that takes each reference once, as the funding slice's commitments do. */
class Funding implements FundingCommitments {
  readonly references: string[] = [];
  constructor(public remainingFen: number) {}
  async commit(_line: string, amount: number, reference: string): Promise<FundingLine> {
    if (!this.references.includes(reference)) {
      if (this.remainingFen < amount) throw lineExhausted();
      this.remainingFen -= amount;
      this.references.push(reference);
    }
    return {
      id: 'line-1',
      year: 2026,
      code: 'awards',
      name: '表彰',
      purpose: 'awards',
      amountFen: 800_000,
      remainingFen: this.remainingFen,
      revision: 1,
      createdBy: 'office',
      createdAt: NOW,
      updatedAt: NOW,
    };
  }
}

function depsOf(
  store: MemoryStore,
  funding: Funding,
  directory: Partial<AwardsDeps['directory']> = {},
): AwardsDeps {
  return {
    store,
    funding,
    fundingLines: { get: async () => undefined },
    directory: {
      find: async () => undefined,
      participantOf: async () => undefined,
      ...directory,
    },
    personYears: { of: async () => ({ credits: 1250, minutes: 90, trainingCompletions: 2 }) },
    assessments: { current: async () => undefined },
    publicPages: { invalidate: async () => {} },
    audit: auditTrail('scoring', topics.scoringAudit),
    clock: () => NOW,
  };
}

const codeOf = async (work: Promise<unknown>): Promise<string | undefined> => {
  try {
    await work;
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
};

describe('approving awards', () => {
  it('when a nomination is approved twice, then it is granted once, the money committed once, with AwardGranted and an audit record', async () => {
    const store = new MemoryStore();
    await store.createNomination(nomination('n-1', person('p-1')));
    const funding = new Funding(800_000);
    const approve = approveNominations(depsOf(store, funding));

    await approve(office, round.id, ['n-1']);
    const awards = await approve(office, round.id, ['n-1']);

    expect(awards.map((award) => [award.nominationId, award.place])).toEqual([['n-1', 1]]);
    expect(funding.remainingFen).toBe(300_000);
    expect(store.events.map((event) => [event.type, event.subject])).toEqual([
      ['scoring.award.granted.v1', 'p-1'],
      ['scoring.audit.recorded.v1', awards[0]?.id],
    ]);
  });

  it('when the line runs out midway, then FUNDING_LINE_EXHAUSTED, the awards before it stand and nothing more is spent', async () => {
    const store = new MemoryStore();
    await store.createNomination(nomination('n-1', person('p-1')));
    await store.createNomination(nomination('n-2', person('p-2')));
    const funding = new Funding(600_000);

    const code = await codeOf(
      approveNominations(depsOf(store, funding))(office, round.id, ['n-1', 'n-2']),
    );

    expect(code).toBe('FUNDING_LINE_EXHAUSTED');
    expect(store.awards.map((award) => award.nominationId)).toEqual(['n-1']);
    expect(funding.remainingFen).toBe(100_000);
  });

  it('when an approval is retried after the money was committed but before the award was written, then it commits nothing twice and grants', async () => {
    const store = new MemoryStore();
    await store.createNomination(nomination('n-1', person('p-1')));
    const funding = new Funding(800_000);
    await funding.commit('line-1', 500_000, 'nomination:n-1');

    await approveNominations(depsOf(store, funding))(office, round.id, ['n-1']);

    expect(funding.references).toEqual(['nomination:n-1']);
    expect(funding.remainingFen).toBe(300_000);
    expect(store.awards.map((award) => award.nominationId)).toEqual(['n-1']);
  });
});

describe('nominating and reviewing', () => {
  it('when an organization admin nominates a member, then the year’s ledger figures are the evidence; a non-member reads as unknown', async () => {
    const store = new MemoryStore();
    const members = new Map([
      ['p-1', person('p-1', ['org-1'])],
      ['p-2', person('p-2', ['org-2'])],
    ]);
    const deps = depsOf(store, new Funding(0), { find: async (_kind, id) => members.get(id) });
    const admin = principal({ subject: 'admin', roles: ['org_admin'], organizations: ['org-1'] });
    const before = { ...round, nominationsClose: '2026-12-31' };
    deps.store.round = async () => before;

    const made = await nominate(deps)(admin, round.id, {
      nomineeKind: 'person',
      nomineeId: 'p-1',
      statement: '事迹',
    });

    expect(made.evidence).toEqual({
      assessment: null,
      person: { credits: 1250, minutes: 90, trainingCompletions: 2 },
    });
    expect(
      await codeOf(
        nominate(deps)(admin, round.id, {
          nomineeKind: 'person',
          nomineeId: 'p-2',
          statement: 'x',
        }),
      ),
    ).toBe('NOMINEE_NOT_FOUND');
  });

  it('when an expert is, by registration’s record, the nominated person, then REVIEW_CONFLICT_OF_INTEREST and nothing is saved', async () => {
    const store = new MemoryStore();
    await store.createNomination(nomination('n-1', person('p-1')));
    const deps = depsOf(store, new Funding(0), {
      participantOf: async () => ({ id: 'p-1', organizationIds: [] }),
    });
    const expert = principal({ subject: 'expert-account', roles: ['expert'] });

    const code = await codeOf(reviewNomination(deps)(expert, 'n-1', { score: 99, comment: '' }));

    expect(code).toBe('REVIEW_CONFLICT_OF_INTEREST');
    expect(store.nominationsById.get('n-1')?.reviews).toEqual([]);
  });
});
