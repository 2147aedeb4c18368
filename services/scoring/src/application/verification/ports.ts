/** Where issued certificates are kept: one per export, found by its code. */
import type { RecordTotals } from '../../domain/records.js';

export type ExportFormat = 'csv' | 'pdf';

/** What an export certified, kept so that the code can be checked later; nothing personal but the masked name. */
export interface Certificate {
  readonly code: string;
  readonly participantId: string;
  readonly year: number;
  readonly totals: RecordTotals;
  /** As the portal shows names (张*明). */
  readonly maskedName: string;
  readonly format: ExportFormat;
  readonly issuedAt: Date;
}

export interface Certificates {
  add(certificate: Certificate): Promise<void>;
  byCode(code: string): Promise<Certificate | null>;
}
