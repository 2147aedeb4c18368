/**
 * The consents scoring relies on, from registration's consent events
 * (consumer group `scoring.consents`): publicity for exemplary cases and
 * employers verifying learning records. A withdrawal stops the use at once.
 */
import { participantEvents } from '@learning/contracts';
import { consumerGroups, PermanentEventError, subscribe } from '@learning/events';
import { ErasureLog } from '@learning/privacy';
import { registration } from '@learning/proto';
import { consentModel, MongoConsents } from '../adapters/mongo/consents.js';
import { withdrawCasesOfPerson } from '../application/cases/cases.js';
import { recordConsentChange, type ConsentPurpose } from '../application/consents/consents.js';
import type { Module } from '../platform.js';
import { casesDepsOf } from './cases.js';
import { publicPagesOf } from './public-pages.js';

/** The purposes scoring relies on; the others (notification channels) are notifications'. */
const PURPOSES: Partial<Record<registration.ConsentPurpose, ConsentPurpose>> = {
  [registration.ConsentPurpose.CONSENT_PURPOSE_PUBLICITY]: 'publicity',
  [registration.ConsentPurpose.CONSENT_PURPOSE_EMPLOYER_SHARING]: 'employer_sharing',
};

export const consentsModule: Module = (platform) => {
  const withdrawCases = withdrawCasesOfPerson(casesDepsOf(platform));
  const verificationPages = publicPagesOf(platform, 'verifications');
  const record = recordConsentChange({
    consents: new MongoConsents(consentModel(platform.mongo)),
    erased: ErasureLog.of(platform.mongo),
    stopUse: {
      publicity: async (participantId) => {
        await withdrawCases(participantId);
      },
      // The codes are checked against the consent on every answer; cached answers go now.
      employer_sharing: () => verificationPages.invalidate(),
    },
  });
  platform.consume(
    consumerGroups.scoringConsents,
    subscribe(participantEvents.participantConsentChanged, async ({ data }) => {
      const purpose = PURPOSES[data.purpose];
      if (purpose === undefined) return;
      const version = Number(data.version);
      if (data.participantId === '' || data.changedAt === undefined || !(version >= 1))
        throw new PermanentEventError('a consent change without its participant, time or version');
      await record({
        participantId: data.participantId,
        purpose,
        given: data.given,
        textVersion: data.textVersion,
        changedAt: data.changedAt,
        version,
      });
    }),
  );
};
