/**
 * Exporting a learning record: the whole year's entries and their totals,
 * with the person's name (they or those who may see their record asked for
 * it), and a certificate issued for it whose code the export carries.
 */
import type { Principal } from '@learning/auth';
import { totalsOf, type RecordEntry, type RecordTotals } from '../../domain/records.js';
import type { Certification } from '../verification/certify.js';
import type { Certificate, ExportFormat } from '../verification/ports.js';
import type { RecordReads, RecordSubject } from './read-records.js';
import type { RecordLedger } from './ports.js';

export interface RecordExport {
  readonly name: string;
  readonly year: number;
  readonly entries: readonly RecordEntry[];
  readonly totals: RecordTotals;
  readonly certificate: Certificate;
}

export interface ExportRecordDeps {
  readonly reads: RecordReads;
  readonly ledger: RecordLedger;
  readonly certification: Certification;
}

export function exportRecord(deps: ExportRecordDeps) {
  const { reads, ledger, certification } = deps;
  return async (
    principal: Principal,
    subject: RecordSubject,
    year: number | undefined,
    format: ExportFormat,
  ): Promise<RecordExport> => {
    // The access check is the reads' own: one rule for viewing and exporting.
    const { participant, year: checked } = await reads.whose(principal, subject, year);
    const entries = await ledger.allEntries(participant.id, checked);
    // The totals of exactly the entries exported, so the document adds up whatever arrives meanwhile.
    const totals = totalsOf(entries);
    const certificate = await certification.issue({
      participantId: participant.id,
      name: participant.name,
      year: checked,
      totals,
      format,
    });
    return { name: participant.name, year: checked, entries, totals, certificate };
  };
}

export type ExportRecord = ReturnType<typeof exportRecord>;
