import { randomUUID } from 'node:crypto';
import type { activities } from '@learning/proto';
import { describe, expect, it } from 'vitest';
import { CachedVenues } from '../../../src/adapters/grpc/activities-directory.js';

const TTL = 60_000;

/** A GetVenues that knows `known` and records every batch it was asked. */
function lookup(known: readonly string[]) {
  const batches: string[][] = [];
  return {
    batches,
    call: {
      getVenues: (request: activities.GetVenuesRequest) => {
        batches.push([...request.venueIds]);
        return Promise.resolve({
          venues: request.venueIds
            .filter((id) => known.includes(id))
            .map((id) => ({
              venueId: id,
              name: `会场${id}`,
              address: '',
              jurisdictionPath: ['330281000000'],
            })),
        });
      },
    },
  };
}

describe('the venue cache', () => {
  it('when a venue is asked again within the time, then activities is not asked; after it, it is', async () => {
    // lru-cache reads a start time of 0 as none: the clock starts later.
    let now = 1_000;
    const client = lookup(['a']);
    const venues = new CachedVenues(client, TTL, () => now);

    const first = await venues.find(['a']);
    now = 1_000 + TTL - 1;
    const second = await venues.find(['a']);
    expect(client.batches).toEqual([['a']]);
    expect(second.get('a')).toEqual(first.get('a'));
    expect(first.get('a')).toEqual({
      id: 'a',
      name: '会场a',
      address: null,
      jurisdictionPath: ['330281000000'],
    });

    now = 1_000 + TTL + 1;
    await venues.find(['a']);
    expect(client.batches).toEqual([['a'], ['a']]);
  });

  it('when an id is unknown, then it is absent and asked for again next time (a venue added since is found)', async () => {
    const client = lookup([]);
    const venues = new CachedVenues(client, TTL);

    expect((await venues.find(['b'])).has('b')).toBe(false);
    await venues.find(['b']);
    expect(client.batches).toEqual([['b'], ['b']]);
  });

  it('when more than 100 ids are asked, then activities is asked in batches of 100, each id once', async () => {
    const ids = Array.from({ length: 250 }, () => randomUUID());
    const client = lookup(ids);
    const venues = new CachedVenues(client, TTL);

    const found = await venues.find([...ids, ...ids.slice(0, 10)]);
    expect(found.size).toBe(250);
    expect(client.batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
  });
});
