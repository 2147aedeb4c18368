/**
 * Credit facts (src/domain/facts.ts), one document per source and holder,
 * kept from the source events (consumer group `scoring.credits`). A replayed
 * event finds its fact and changes nothing; a withdrawal that arrives before
 * the attendance it withdraws leaves a withdrawn stub the attendance fills in.
 */
import { CONTENT_CATEGORIES, TIERS, type ContentCategory, type Tier } from '@learning/domain';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  HOLDER_KINDS,
  SOURCE_KINDS,
  type HolderKind,
  type SourceKind,
} from '../../domain/facts.js';

export interface FactDocument {
  /** `<holderKind>:<holderId>|<sourceId>`: one fact per source and holder. */
  _id: string;
  sourceId: string;
  source: SourceKind;
  holderKind: HolderKind;
  holderId: string;
  sourceEventId: string;
  occurredAt: Date;
  year: number;
  category: ContentCategory | null;
  tier: Tier | null;
  minutes: number;
  units: number;
  rank: number | null;
  campaignId: string | null;
  jurisdictionPath: string[];
  organizationIds: string[];
  title: string;
  withdrawnAt: Date | null;
  /**
   * Attendance only: when the latest attendance of the enrollment was
   * recorded, so a withdrawal older than a re-recorded attendance is ignored
   * and a re-recorded attendance newer than a withdrawal counts again.
   */
  attendedAt: Date | null;
  /** False for a withdrawal stub whose source has not arrived: never credited. */
  reported: boolean;
  receivedAt: Date;
}

const factSchema = new Schema<FactDocument>(
  {
    _id: { type: String, required: true },
    sourceId: { type: String, required: true },
    source: { type: String, required: true, enum: SOURCE_KINDS },
    holderKind: { type: String, required: true, enum: HOLDER_KINDS },
    holderId: { type: String, required: true },
    sourceEventId: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    year: { type: Number, required: true },
    category: { type: String, default: null, enum: [...CONTENT_CATEGORIES, null] },
    tier: { type: String, default: null, enum: [...TIERS, null] },
    minutes: { type: Number, required: true },
    units: { type: Number, required: true },
    rank: { type: Number, default: null },
    campaignId: { type: String, default: null },
    jurisdictionPath: { type: [String], required: true },
    organizationIds: { type: [String], required: true },
    title: { type: String, required: true },
    withdrawnAt: { type: Date, default: null },
    attendedAt: { type: Date, default: null },
    reported: { type: Boolean, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'facts', versionKey: false, strict: 'throw' },
);
// Evaluation reads one holder's year.
factSchema.index({ holderKind: 1, holderId: 1, year: 1, occurredAt: 1 });
// A withdrawal finds the facts of its source (contest results: one per placed person).
factSchema.index({ sourceId: 1 });

export const factModel = (connection: Connection): Model<FactDocument> =>
  connection.model<FactDocument>('Fact', factSchema);
