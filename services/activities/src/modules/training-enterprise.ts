/**
 * Enterprises' own training (policy §4.3, §6.4): an enterprise's admin
 * reports the year's trainees, hours and spend for scoring's funding and
 * per-capita indicators; officers read them beside what the platform
 * recorded for the enterprise's own programmes (REST).
 */
import { registerEnterpriseTrainingRoutes } from '../adapters/http/training-enterprise.js';
import {
  enterpriseReportModel,
  MongoEnterpriseReportRepository,
  MongoRecordedTraining,
} from '../adapters/mongo/training-enterprise.js';
import { programmeModel, traineeModel } from '../adapters/mongo/training-models.js';
import {
  getReport,
  getReportHistory,
  listReports,
} from '../application/training/enterprise/read-reports.js';
import { reportTraining } from '../application/training/enterprise/report-training.js';
import type { Module } from '../platform.js';

export const trainingEnterpriseModule: Module = (platform) => {
  const { mongo, http, audit, clock, organizations } = platform;
  const model = enterpriseReportModel(mongo);
  platform.publishOutboxOf(model);
  const deps = {
    reports: new MongoEnterpriseReportRepository(model),
    recorded: new MongoRecordedTraining(
      programmeModel(mongo),
      traineeModel(mongo).collection.collectionName,
    ),
    organizations,
    audit,
    clock,
  };
  registerEnterpriseTrainingRoutes(http, {
    reportTraining: reportTraining(deps),
    getReport: getReport(deps),
    getReportHistory: getReportHistory(deps),
    listReports: listReports(deps),
  });
};
