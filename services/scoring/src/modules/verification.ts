/** Verification: the certificates exports issue, and the public check of their codes. */
import { randomBytes } from 'node:crypto';
import { publicMaxAgeSeconds } from '@learning/http';
import { PublicPageCache } from '@learning/redis';
import { MongoBalances } from '../adapters/mongo/balances.js';
import { certificateModel, MongoCertificates } from '../adapters/mongo/certificates.js';
import { ledgerEntryModel } from '../adapters/mongo/ledger.js';
import { registerVerificationRoutes } from '../adapters/http/verifications.js';
import { certification } from '../application/verification/certify.js';
import type { Module, Platform } from '../platform.js';

/** The certification both slices use: records issue with it, the public route verifies. */
export const certificationOf = (platform: Platform) =>
  certification({
    certificates: new MongoCertificates(certificateModel(platform.mongo)),
    balances: new MongoBalances(ledgerEntryModel(platform.mongo)),
    key: Buffer.from(platform.config.VERIFICATION_KEY, 'base64'),
    randomBytes,
    clock: platform.clock,
  });

export const verificationModule: Module = (platform) => {
  const { redis, config, logger } = platform;
  registerVerificationRoutes(platform.http, certificationOf(platform), {
    // Named after the database, so two deployments sharing a Redis never serve each other's answers.
    pages: new PublicPageCache(
      redis,
      {
        name: `public-verifications-${config.MONGODB_DATABASE}`,
        ttlMs: config.PUBLIC_CACHE_TTL_MS,
      },
      logger,
    ),
    publicMaxAgeSeconds: publicMaxAgeSeconds(config.PUBLIC_CACHE_TTL_MS),
  });
};
