/**
 * Issuing a certificate for an export, and answering the public's question
 * "is this code genuine, and what does it certify?". A code that does not
 * check against the key is refused before the certificates are read.
 */
import {
  checkVerificationCode,
  issueVerificationCode,
  maskPersonName,
  VERIFICATION_CODE_RANDOM_BYTES,
} from '@learning/domain';
import { holderKey } from '../../domain/facts.js';
import { ledgerAgrees, type RecordTotals } from '../../domain/records.js';
import type { Balances } from '../ports.js';
import { codeInvalid, codeUnknown, sharingWithdrawn } from './errors.js';
import type { Certificate, Certificates, ExportFormat } from './ports.js';

/** Learning records' codes read `LS26-…`. */
export const LEARNING_RECORD_CODE_KIND = 'LS';

export interface CertifyDeps {
  readonly certificates: Certificates;
  readonly balances: Balances;
  /** The VERIFICATION_KEY's bytes. */
  readonly key: Uint8Array;
  readonly randomBytes: (size: number) => Uint8Array;
  readonly clock: () => Date;
  /** Whether the person withdrew their consent to employers verifying their record. */
  readonly sharingWithdrawn: (participantId: string) => Promise<boolean>;
}

/** What the public is told about a code: never a participant id, a full name or the entries. */
export interface Verification {
  readonly code: string;
  readonly year: number;
  readonly maskedName: string;
  readonly totals: RecordTotals;
  readonly issuedAt: Date;
  /** `current`: the ledger's year still adds up to what was certified; `superseded`: it changed since. */
  readonly status: 'current' | 'superseded';
}

export function certification(deps: CertifyDeps) {
  const { certificates, balances, key, randomBytes, clock, sharingWithdrawn: withdrawn } = deps;
  return {
    async issue(input: {
      readonly participantId: string;
      readonly name: string;
      readonly year: number;
      readonly totals: RecordTotals;
      readonly format: ExportFormat;
    }): Promise<Certificate> {
      const certificate: Certificate = {
        code: issueVerificationCode(
          key,
          LEARNING_RECORD_CODE_KIND,
          input.year,
          randomBytes(VERIFICATION_CODE_RANDOM_BYTES),
        ),
        participantId: input.participantId,
        year: input.year,
        totals: input.totals,
        maskedName: maskPersonName(input.name),
        format: input.format,
        issuedAt: clock(),
      };
      await certificates.add(certificate);
      return certificate;
    },

    async verify(text: string): Promise<Verification> {
      const code = checkVerificationCode(key, LEARNING_RECORD_CODE_KIND, text);
      if (code === null) throw codeInvalid();
      const certificate = await certificates.byCode(code);
      if (certificate === null) throw codeUnknown();
      if (await withdrawn(certificate.participantId)) throw sharingWithdrawn();
      const holder = { kind: 'person', id: certificate.participantId } as const;
      const now = (await balances.of([holder], certificate.year)).get(holderKey(holder)) ?? {
        credits: 0,
        minutes: 0,
        entries: 0,
      };
      return {
        code,
        year: certificate.year,
        maskedName: certificate.maskedName,
        totals: certificate.totals,
        issuedAt: certificate.issuedAt,
        status: ledgerAgrees(certificate.totals, now) ? 'current' : 'superseded',
      };
    },
  };
}

export type Certification = ReturnType<typeof certification>;
