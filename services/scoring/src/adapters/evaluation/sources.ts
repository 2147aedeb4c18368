/**
 * What the annual evaluation is computed from, wired once per replica
 * (decision 0019): who is assessed, from registration, and the figures of
 * each source. Gatherers built elsewhere (activities' network, lectures)
 * join through `extraGatherers`; a metric nobody gathers has no reading and
 * is reported as missing by the computation.
 */
import type { EvaluationSources, MetricGatherer } from '../../application/evaluation/ports.js';
import { gatheredInputs } from '../../application/evaluation/gathered-inputs.js';
import type { Platform } from '../../platform.js';
import { factModel } from '../mongo/facts.js';
import { ledgerEntryModel } from '../mongo/ledger.js';
import { LedgerGatherer } from './ledger-gatherer.js';
import { RegistrationSubjectDirectory } from './subject-directory.js';

export function createEvaluationSources(
  platform: Platform,
  extraGatherers: readonly MetricGatherer[] = [],
): EvaluationSources {
  const { mongo } = platform;
  return {
    subjects: new RegistrationSubjectDirectory({
      organizations: platform.organizations,
      organizationDirectory: platform.organizationDirectory,
      jurisdictions: platform.jurisdictions,
      cityCode: platform.config.CITY_JURISDICTION_CODE,
    }),
    inputs: gatheredInputs([
      new LedgerGatherer(ledgerEntryModel(mongo), factModel(mongo)),
      ...extraGatherers,
    ]),
  };
}
