import { isAppError } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import { listCurrentMembers } from '../../../src/application/memberships/directory.js';
import type {
  MembershipQuery,
  MembershipRepository,
  StoredMembership,
} from '../../../src/application/memberships/membership-repository.js';
import type { OrganizationRepository } from '../../../src/application/organizations/organization-repository.js';

/** Storage pages hold at most 200, as libs/mongo's keyset pages do. */
const STORAGE_PAGE = 200;

function membersOf(active: number, ended: number): StoredMembership[] {
  const member = (n: number, status: StoredMembership['status']): StoredMembership => ({
    organizationId: 'org-1',
    participantId: `p-${String(n).padStart(4, '0')}`,
    organizationKind: 'enterprise',
    role: 'member',
    status,
    since: new Date('2026-01-01T00:00:00Z'),
    endedAt: status === 'ended' ? new Date('2026-02-01T00:00:00Z') : null,
    jurisdictionPath: ['C'],
    version: 1,
  });
  return [
    ...Array.from({ length: active }, (_, n) => member(n * 2, 'active')),
    ...Array.from({ length: ended }, (_, n) => member(n * 2 + 1, 'ended')),
  ].sort((a, b) => (a.participantId < b.participantId ? -1 : 1));
}

function useCase(stored: StoredMembership[]) {
  const reads: MembershipQuery[] = [];
  const memberships = {
    list: async (_scope: unknown, query: MembershipQuery) => {
      reads.push(query);
      const matching = stored.filter(
        (m) => m.organizationId === query.organizationId && m.status === query.status,
      );
      const from = query.pageToken === undefined ? 0 : Number(query.pageToken);
      const size = Math.min(query.pageSize, STORAGE_PAGE);
      const items = matching.slice(from, from + size);
      return {
        items,
        nextPageToken: from + size < matching.length ? String(from + size) : null,
      };
    },
  } as unknown as MembershipRepository;
  const organizations = {
    byIds: async (_scope: unknown, ids: readonly string[]) =>
      ids.includes('org-1') ? [{ id: 'org-1' }] : [],
  } as unknown as OrganizationRepository;
  return { reads, list: listCurrentMembers({ organizations, memberships }) };
}

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  throw new Error('it did not refuse');
};

describe('listCurrentMembers', () => {
  it('when a page larger than storage pages is asked, then it is filled from several, current members only, and the token goes on from there', async () => {
    const { list } = useCase(membersOf(450, 30));

    const first = await list('org-1', { size: 300, token: '' });
    const second = await list('org-1', { size: 300, token: first.nextPageToken ?? '' });

    expect(first.items).toHaveLength(300);
    expect(first.items.every((m) => m.status === 'active')).toBe(true);
    expect(second.items).toHaveLength(150);
    expect(second.nextPageToken).toBeNull();
    expect(new Set([...first.items, ...second.items].map((m) => m.participantId)).size).toBe(450);
  });

  it('when no size is given, then a page holds 100', async () => {
    const { list, reads } = useCase(membersOf(150, 0));

    const page = await list('org-1', { size: 0, token: '' });

    expect(page.items).toHaveLength(100);
    expect(page.nextPageToken).not.toBeNull();
    expect(reads).toHaveLength(1);
  });

  it('when the size is above 500, negative or not whole, then MEMBERS_PAGE_SIZE_INVALID', async () => {
    const { list } = useCase(membersOf(1, 0));

    for (const size of [501, -1, 2.5])
      expect(await codeOf(list('org-1', { size, token: '' }))).toBe('MEMBERS_PAGE_SIZE_INVALID');
  });

  it('when the organization is unknown, then ORGANIZATION_NOT_FOUND', async () => {
    const { list, reads } = useCase(membersOf(1, 0));

    expect(await codeOf(list('org-2', { size: 10, token: '' }))).toBe('ORGANIZATION_NOT_FOUND');
    expect(reads).toHaveLength(0);
  });
});
