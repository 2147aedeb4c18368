import { describe, expect, it } from 'vitest';
import { CachedRuleBook } from '../../../src/adapters/mongo/cached-rule-book.js';
import { CachedHolderDirectory } from '../../../src/adapters/registration/holder-directory.js';
import type {
  DirectoryParticipant,
  Organizations,
  Participants,
} from '../../../src/application/ports.js';

/** A TTL short enough to outlive in a test: lru-cache reads its own clock, which fake timers do not reach. */
const TTL_MS = 200;
const outlive = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));

describe('the rule book’s short cache', () => {
  function cachedBook(at: { now: Date }) {
    const asked: string[] = [];
    const book = new CachedRuleBook(
      {
        rulesFor: async (source, year) => {
          asked.push(`${source}|${year}`);
          return [];
        },
      },
      () => at.now,
      10_000,
    );
    return { asked, book };
  }

  it('when a source and year are asked again within the TTL, then the rules are read once; after it, again', async () => {
    const at = { now: new Date('2026-06-01T02:00:00Z') };
    const { asked, book } = cachedBook(at);
    await book.rulesFor('lecture_attended', 2026);
    at.now = new Date('2026-06-01T02:00:09.999Z');
    await book.rulesFor('lecture_attended', 2026);
    await book.rulesFor('lecture_attended', 2025);
    expect(asked).toEqual(['lecture_attended|2026', 'lecture_attended|2025']);
    at.now = new Date('2026-06-01T02:00:10Z');
    await book.rulesFor('lecture_attended', 2026);
    expect(asked).toHaveLength(3);
  });

  it('when an entry was filled at 23:59:58 in the city, then it is not used at 00:00:01, within its TTL', async () => {
    // 23:59:58 in UTC+8 is 15:59:58 UTC.
    const at = { now: new Date('2026-06-01T15:59:58Z') };
    const { asked, book } = cachedBook(at);
    await book.rulesFor('lecture_attended', 2026);
    at.now = new Date('2026-06-01T15:59:59.999Z');
    await book.rulesFor('lecture_attended', 2026);
    expect(asked).toHaveLength(1);
    at.now = new Date('2026-06-01T16:00:01Z');
    await book.rulesFor('lecture_attended', 2026);
    expect(asked).toHaveLength(2);
  });
});

describe('the holder directory', () => {
  const participant: DirectoryParticipant = {
    id: 'p1',
    accountSubject: 'account-p1',
    name: '李华',
    jurisdictionPath: ['330281000000'],
    birthDate: null,
    tier: 'ordinary_citizen',
    organizationIds: ['org-1'],
  };

  function directory() {
    const asked: string[] = [];
    const participants: Participants = {
      byAccounts: async () => new Map(),
      byIds: async (ids) => {
        asked.push(...ids);
        return new Map(ids.filter((id) => id === 'p1').map((id) => [id, participant]));
      },
    };
    const organizations = {
      find: async (ids: readonly string[]) => {
        asked.push(...ids);
        return new Map(
          ids
            .filter((id) => id === 'o1')
            .map((id) => [
              id,
              {
                id,
                name: 'x',
                kind: 'enterprise' as const,
                leadDepartment: 'd',
                jurisdictionPath: ['330281000000', '330281001000'],
                status: 'recognized' as const,
              },
            ]),
        );
      },
    } as unknown as Organizations;
    return { asked, holders: new CachedHolderDirectory(participants, organizations, TTL_MS) };
  }

  it('when a person is asked twice within a minute, then registration is asked once, and only their place is kept', async () => {
    const { asked, holders } = directory();
    const expected = {
      tier: 'ordinary_citizen',
      jurisdictionPath: ['330281000000'],
      organizationIds: ['org-1'],
    };
    expect(await holders.person('p1')).toEqual(expected);
    expect(await holders.person('p1')).toEqual(expected);
    expect(asked).toEqual(['p1']);
    await outlive();
    await holders.person('p1');
    expect(asked).toEqual(['p1', 'p1']);
  });

  it('when registration does not know someone, then null, asked again next time', async () => {
    const { asked, holders } = directory();
    expect(await holders.person('nobody')).toBeNull();
    expect(await holders.person('nobody')).toBeNull();
    expect(asked).toEqual(['nobody', 'nobody']);
  });

  it('when an organization is asked, then its place with itself as its organization and no tier', async () => {
    const { holders } = directory();
    expect(await holders.organization('o1')).toEqual({
      tier: null,
      jurisdictionPath: ['330281000000', '330281001000'],
      organizationIds: ['o1'],
    });
    expect(await holders.organization('o2')).toBeNull();
  });
});
