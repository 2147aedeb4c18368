/**
 * Registration's personal data, declared to the privacy kit (decision 0022):
 * the participant record and its contacts, account link and consents, sign-ups,
 * memberships, the copies of their data a person asked for and their erasure
 * requests; the kit serves them to the person's copy, erases them when the
 * person closes their account, and sweeps what has outlived its retention.
 */
import { consumerGroups } from '@learning/events';
import { personalDataModule } from '@learning/privacy';
import {
  personalDataModels,
  registrationKinds,
  registrationRetention,
} from '../adapters/mongo/personal-data.js';
import type { Platform } from '../platform.js';

export const personalDataOf = (platform: Platform) => {
  const models = personalDataModels(platform.mongo);
  return {
    kinds: registrationKinds(models, platform.pii, platform.clock),
    retention: registrationRetention(models, {
      dataExports: platform.config.DATA_EXPORT_RETENTION_DAYS,
      claimCodes: platform.config.CLAIM_CODE_RETENTION_DAYS,
    }),
    // Nothing registration holds is cut short by erasure: sign-ups stay for their events' counts.
    obligations: [],
  };
};

export const personalDataDeclaration = personalDataModule<Platform>(
  { service: 'registration', erasureGroup: consumerGroups.registrationErasure },
  personalDataOf,
);
