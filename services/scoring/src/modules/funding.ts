/**
 * Funding (§6.4): the city's allocation in lines (the office), sponsorships
 * and donations received (the office and area officers), enterprises'
 * training reports from activities (consumer group `scoring.funding`), the
 * totals, and the commitments awards make against a line.
 */
import { activityEvents } from '@learning/contracts';
import { fenOfYuan } from '@learning/domain';
import { consumerGroups, PermanentEventError, subscribe } from '@learning/events';
import { registerFundingRoutes } from '../adapters/http/funding.js';
import {
  enterpriseTrainingReportModel,
  fundingLineModel,
  fundingReceiptModel,
} from '../adapters/mongo/evaluation-models.js';
import {
  MongoEnterpriseReports,
  MongoFundingLines,
  MongoFundingReceipts,
  MongoFundingTotals,
} from '../adapters/mongo/funding-store.js';
import { DirectoryPlaces } from '../adapters/registration/places.js';
import { changeLineAmount, createLine, getLine, listLines } from '../application/funding/lines.js';
import { listReceipts, recordReceipt } from '../application/funding/receipts.js';
import { keepReport, listReports } from '../application/funding/reports.js';
import { readTotals } from '../application/funding/totals.js';
import type { Module } from '../platform.js';

export const fundingModule: Module = (platform) => {
  const { mongo, http, audit, clock, logger } = platform;
  const lineModel = fundingLineModel(mongo);
  const receiptModel = fundingReceiptModel(mongo);
  const reportModel = enterpriseTrainingReportModel(mongo);
  // The lines' and receipts' outboxes carry the audit records of the office's writes.
  platform.publishOutboxOf(lineModel);
  platform.publishOutboxOf(receiptModel);
  const lines = new MongoFundingLines(lineModel);
  const receipts = new MongoFundingReceipts(receiptModel);
  const reports = new MongoEnterpriseReports(reportModel);
  const places = new DirectoryPlaces(platform.jurisdictions);
  const keep = keepReport(reports);

  platform.consume(
    consumerGroups.scoringFunding,
    subscribe(activityEvents.EnterpriseTrainingReported, async ({ data }) => {
      const spendFen = fenOfYuan(data.spendYuan);
      if (data.organizationId === '' || data.year === 0 || data.revision === 0)
        throw new PermanentEventError(
          'an enterprise report without its organization, year or revision',
        );
      if (spendFen === undefined)
        throw new PermanentEventError('an enterprise report whose spend is not yuan');
      const kept = await keep({
        organizationId: data.organizationId,
        year: data.year,
        reportId: data.reportId,
        revision: data.revision,
        trainees: data.trainees,
        trainingMinutes: data.trainingMinutes,
        spendFen,
        leadDepartment: data.routing?.leadDepartment ?? '',
        jurisdictionPath: data.routing?.jurisdictionPath ?? [],
        reportedAt: data.reportedAt ?? new Date(0),
      });
      if (!kept)
        logger.debug(
          { reportId: data.reportId, revision: data.revision },
          'an enterprise report no newer than the one kept changed nothing',
        );
    }),
  );

  registerFundingRoutes(http, {
    createLine: createLine({ lines, audit, clock }),
    getLine: getLine({ lines }),
    listLines: listLines({ lines }),
    changeLineAmount: changeLineAmount({ lines, audit, clock }),
    recordReceipt: recordReceipt({ receipts, places, audit, clock }),
    listReceipts: listReceipts({ receipts, places }),
    listReports: listReports(reports),
    readTotals: readTotals({
      totals: new MongoFundingTotals(lineModel, receiptModel, reportModel),
      places,
    }),
  });
};
