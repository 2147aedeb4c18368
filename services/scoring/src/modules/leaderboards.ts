/**
 * Leaderboards in Redis, derived from the ledger: kept up from scoring's own
 * credit events (consumer group `scoring.leaderboards`), rebuilt on the
 * office's request and, once per tick across replicas, whenever Redis lost
 * the year's boards; read by the public top lists and participants' own rank.
 */
import { creditEvents } from '@learning/contracts';
import { chinaYearOf } from '@learning/domain';
import { consumerGroups, PermanentEventError, subscribeRuns } from '@learning/events';
import { publicMaxAgeSeconds } from '@learning/http';
import { scoring } from '@learning/proto';
import { tickingWorker } from '@learning/runtime';
import { randomUUID } from 'node:crypto';
import { registerLeaderboardRoutes } from '../adapters/http/leaderboards.js';
import { MongoLedgerFootprints } from '../adapters/mongo/footprints.js';
import { ledgerEntryModel } from '../adapters/mongo/ledger.js';
import { RedisBoards } from '../adapters/redis/boards.js';
import { CachedMaskedNames } from '../adapters/redis/masked-names.js';
import { RedisRebuilds } from '../adapters/redis/rebuilds.js';
import { CachedOrganizationCards } from '../adapters/registration/organization-cards.js';
import { readBoards } from '../application/leaderboards/read-boards.js';
import { rebuildBoards } from '../application/leaderboards/rebuild-boards.js';
import { standings } from '../application/leaderboards/standings.js';
import { updateBoards } from '../application/leaderboards/update-boards.js';
import type { HolderRef } from '../domain/facts.js';
import { publicPagesOf } from './public-pages.js';
import type { Module } from '../platform.js';

/** An organization's kind and name are reused this long. */
const ORGANIZATION_CARD_TTL_MS = 5 * 60_000;
/** A masked name is reused this long: a renamed person shows renamed after it. */
const MASKED_NAME_TTL_MS = 10 * 60_000;
/** Holders placed per rebuild batch. */
const REBUILD_BATCH = 200;
/** A rebuild that makes no progress this long (its replica died) frees its year. */
const REBUILD_LEASE_MS = 60_000;

const HOLDER_KINDS: Partial<Record<scoring.HolderKind, HolderRef['kind']>> = {
  [scoring.HolderKind.HOLDER_KIND_PERSON]: 'person',
  [scoring.HolderKind.HOLDER_KIND_ORGANIZATION]: 'organization',
};

export const leaderboardsModule: Module = (platform) => {
  const { mongo, redis, config, logger, http, clock } = platform;
  const namespace = config.MONGODB_DATABASE;
  const ledger = ledgerEntryModel(mongo);
  const footprints = new MongoLedgerFootprints(ledger);
  const organizations = new CachedOrganizationCards(
    platform.organizations,
    ORGANIZATION_CARD_TTL_MS,
  );
  const boards = new RedisBoards(redis, namespace);
  const place = standings({ footprints, organizations });
  const update = updateBoards({ standings: place, boards });
  const rebuilds = rebuildBoards({
    footprints,
    standings: place,
    boards,
    registry: new RedisRebuilds(redis, namespace),
    clock,
    logger,
    newId: randomUUID,
    batchSize: REBUILD_BATCH,
    leaseMs: REBUILD_LEASE_MS,
  });
  platform.onClose('leaderboard rebuilds', () => rebuilds.stop());

  // Awards and reversals alike: the holder's boards are set to the ledger's sums again.
  const onEntries = async (events: readonly { data: scoring.CreditEntry }[]): Promise<void> => {
    await update(
      events.map(({ data }) => {
        const kind = HOLDER_KINDS[data.holderKind];
        if (kind === undefined || data.holderId === '' || data.year === 0)
          throw new PermanentEventError('a ledger entry without its holder or year');
        return { holder: { kind, id: data.holderId }, year: data.year };
      }),
    );
  };
  platform.consume(
    consumerGroups.scoringLeaderboards,
    subscribeRuns(creditEvents.CreditsAwarded, onEntries),
    subscribeRuns(creditEvents.CreditsReversed, onEntries),
  );

  platform.runWorker(
    'leaderboards check',
    tickingWorker({
      name: `scoring:leaderboards-check:${namespace}`,
      everyMs: config.LEADERBOARD_CHECK_MS,
      redis,
      logger,
      clock,
      run: (_tickAt, signal) => rebuilds.ensureBuilt(signal),
    }),
  );

  registerLeaderboardRoutes(http, {
    reads: readBoards({
      boards,
      names: new CachedMaskedNames(redis, platform.participants, namespace, MASKED_NAME_TTL_MS),
      organizations,
      participants: platform.participants,
    }),
    rebuilds,
    currentYear: () => chinaYearOf(clock()),
    pages: publicPagesOf(platform, 'leaderboards'),
    publicMaxAgeSeconds: publicMaxAgeSeconds(config.PUBLIC_CACHE_TTL_MS),
  });
};
