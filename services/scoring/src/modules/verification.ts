/** Verification: the certificates exports issue, and the public check of their codes. */
import { randomBytes } from 'node:crypto';
import { publicMaxAgeSeconds } from '@learning/http';
import { MongoBalances } from '../adapters/mongo/balances.js';
import { certificateModel, MongoCertificates } from '../adapters/mongo/certificates.js';
import { consentModel, MongoConsents } from '../adapters/mongo/consents.js';
import { ledgerEntryModel } from '../adapters/mongo/ledger.js';
import { registerVerificationRoutes } from '../adapters/http/verifications.js';
import { certification } from '../application/verification/certify.js';
import { publicPagesOf } from './public-pages.js';
import type { Module, Platform } from '../platform.js';

/** The certification both slices use: records issue with it, the public route verifies. */
export const certificationOf = (platform: Platform) => {
  const consents = new MongoConsents(consentModel(platform.mongo));
  return certification({
    certificates: new MongoCertificates(certificateModel(platform.mongo)),
    balances: new MongoBalances(ledgerEntryModel(platform.mongo)),
    key: Buffer.from(platform.config.VERIFICATION_KEY, 'base64'),
    randomBytes,
    clock: platform.clock,
    sharingWithdrawn: (participantId) => consents.withdrawn(participantId, 'employer_sharing'),
  });
};

export const verificationModule: Module = (platform) => {
  registerVerificationRoutes(platform.http, certificationOf(platform), {
    pages: publicPagesOf(platform, 'verifications'),
    publicMaxAgeSeconds: publicMaxAgeSeconds(platform.config.PUBLIC_CACHE_TTL_MS),
  });
};
