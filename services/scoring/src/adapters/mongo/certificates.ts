/**
 * Certificates of exported records (collection `certificates`), one per
 * export, keyed by the verification code. Totals are a snapshot of what was
 * exported; the only personal data kept is the masked name.
 */
import { CONTENT_CATEGORIES, type ContentCategory } from '@learning/domain';
import { Schema, type Connection, type Model } from 'mongoose';
import type {
  Certificate,
  Certificates,
  ExportFormat,
} from '../../application/verification/ports.js';

export interface CertificateDocument {
  /** The code, in its written form (`LS26-…`). */
  _id: string;
  participantId: string;
  year: number;
  credits: number;
  minutes: number;
  entries: number;
  byCategory: { category: ContentCategory | null; credits: number; minutes: number }[];
  maskedName: string;
  format: ExportFormat;
  issuedAt: Date;
}

const certificateSchema = new Schema<CertificateDocument>(
  {
    _id: { type: String, required: true },
    participantId: { type: String, required: true },
    year: { type: Number, required: true },
    credits: { type: Number, required: true },
    minutes: { type: Number, required: true },
    entries: { type: Number, required: true },
    byCategory: {
      type: [
        new Schema(
          {
            category: { type: String, default: null, enum: [...CONTENT_CATEGORIES, null] },
            credits: { type: Number, required: true },
            minutes: { type: Number, required: true },
          },
          { _id: false, strict: 'throw' },
        ),
      ],
      required: true,
    },
    maskedName: { type: String, required: true },
    format: { type: String, required: true, enum: ['csv', 'pdf'] },
    issuedAt: { type: Date, required: true },
  },
  { collection: 'certificates', versionKey: false, strict: 'throw' },
);
// A person's certificates, newest first (what they exported, should they ask).
certificateSchema.index({ participantId: 1, issuedAt: -1 });

export const certificateModel = (connection: Connection): Model<CertificateDocument> =>
  connection.model<CertificateDocument>('Certificate', certificateSchema);

export class MongoCertificates implements Certificates {
  constructor(private readonly certificates: Model<CertificateDocument>) {}

  async add(certificate: Certificate): Promise<void> {
    await this.certificates.create({
      _id: certificate.code,
      participantId: certificate.participantId,
      year: certificate.year,
      credits: certificate.totals.credits,
      minutes: certificate.totals.minutes,
      entries: certificate.totals.entries,
      byCategory: certificate.totals.byCategory.map((total) => ({ ...total })),
      maskedName: certificate.maskedName,
      format: certificate.format,
      issuedAt: certificate.issuedAt,
    });
  }

  async byCode(code: string): Promise<Certificate | null> {
    const document = await this.certificates.findById(code).lean<CertificateDocument>();
    if (document === null) return null;
    return {
      code: document._id,
      participantId: document.participantId,
      year: document.year,
      totals: {
        credits: document.credits,
        minutes: document.minutes,
        entries: document.entries,
        byCategory: document.byCategory.map(({ category, credits, minutes }) => ({
          category: category ?? null,
          credits,
          minutes,
        })),
      },
      maskedName: document.maskedName,
      format: document.format,
      issuedAt: document.issuedAt,
    };
  }
}
