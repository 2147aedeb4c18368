/**
 * What the annual evaluation is computed from, wired once per replica
 * (decision 0019): who is assessed, from registration, and the figures of
 * each source: scoring's own collections, registration's counts, and the
 * areas' figures activities and lectures keep (`platform.areaGatherers`). A
 * metric nobody gathers has no reading and is reported as missing by the
 * computation.
 */
import type { EvaluationSources } from '../../application/evaluation/ports.js';
import { gatheredInputs } from '../../application/evaluation/gathered-inputs.js';
import type { Platform } from '../../platform.js';
import {
  enterpriseTrainingReportModel,
  fundingReceiptModel,
  inspectionModel,
} from '../mongo/evaluation-models.js';
import { factModel } from '../mongo/facts.js';
import { ledgerEntryModel } from '../mongo/ledger.js';
import { FundingGatherer } from './funding-gatherer.js';
import { InspectionsGatherer } from './inspections-gatherer.js';
import { LedgerGatherer } from './ledger-gatherer.js';
import { RegistrationGatherer } from './registration-gatherer.js';
import { RegistrationSubjectDirectory } from './subject-directory.js';

export function createEvaluationSources(platform: Platform): EvaluationSources {
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
      new RegistrationGatherer(platform.organizationDirectory, platform.audience),
      new FundingGatherer(enterpriseTrainingReportModel(mongo), fundingReceiptModel(mongo)),
      new InspectionsGatherer(inspectionModel(mongo)),
      ...platform.areaGatherers,
    ]),
  };
}
