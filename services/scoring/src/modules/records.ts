/**
 * Learning records: a person's totals and entries for a year, the CSV and PDF
 * exports (each certified, see the verification module), organization
 * admins' members with their credits (REST), and CreditLedgerService (gRPC).
 */
import { registerCreditLedgerService } from '../adapters/grpc/credit-ledger-service.js';
import { registerRecordRoutes } from '../adapters/http/records.js';
import { MongoBalances } from '../adapters/mongo/balances.js';
import { ledgerEntryModel } from '../adapters/mongo/ledger.js';
import { MongoRecordLedger } from '../adapters/mongo/record-ledger.js';
import { exportRecord } from '../application/records/export-record.js';
import { recordReads } from '../application/records/read-records.js';
import type { Module } from '../platform.js';
import { certificationOf } from './verification.js';

export const recordsModule: Module = (platform) => {
  const { mongo, http, grpc, clock, participants, organizations } = platform;
  const entries = ledgerEntryModel(mongo);
  const ledger = new MongoRecordLedger(entries);
  const balances = new MongoBalances(entries);
  const reads = recordReads({ participants, organizations, balances, ledger, clock });

  registerRecordRoutes(http, {
    reads,
    exportRecord: exportRecord({ reads, ledger, certification: certificationOf(platform) }),
  });
  registerCreditLedgerService(grpc, { reads, ledger, balances });
};
