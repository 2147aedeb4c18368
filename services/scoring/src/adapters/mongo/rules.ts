/**
 * Credit rules (src/domain/rules.ts), one document per rule with its
 * versions embedded: a rule's history is read and changed as one, and the
 * optimistic `revision` stops two office edits from both closing a version.
 */
import { CONTENT_CATEGORIES, TIERS, type ContentCategory, type Tier } from '@learning/domain';
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { Schema, type Connection, type Model } from 'mongoose';
import { SOURCE_KINDS, type SourceKind } from '../../domain/facts.js';
import type { RuleKind } from '../../domain/rules.js';

export interface RuleBasisDocument {
  kind: 'per_occurrence' | 'per_hour' | 'per_unit' | 'by_rank';
  /** Hundredths of a credit; absent for by_rank. */
  credits?: number;
  /** by_rank only. */
  bands?: { upToRank: number; credits: number }[];
}

export interface RuleVersionDocument {
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  basis: RuleBasisDocument;
  dailyCap: number | null;
  yearlyCap: number | null;
  bonusPercent: number | null;
  createdBy: string;
  createdAt: Date;
}

export interface RuleDocument {
  _id: string;
  kind: RuleKind;
  name: string;
  source: SourceKind;
  categories: ContentCategory[];
  tiers: Tier[];
  campaignId: string | null;
  versions: RuleVersionDocument[];
  /** First and last city years any version is in effect (9999 while open-ended): the rule book's index. */
  firstYear: number;
  lastYear: number;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

const basisSchema = new Schema<RuleBasisDocument>(
  {
    kind: {
      type: String,
      required: true,
      enum: ['per_occurrence', 'per_hour', 'per_unit', 'by_rank'],
    },
    credits: { type: Number },
    bands: {
      type: [
        new Schema(
          { upToRank: { type: Number, required: true }, credits: { type: Number, required: true } },
          { _id: false, strict: 'throw' },
        ),
      ],
      default: undefined,
    },
  },
  { _id: false, strict: 'throw' },
);

const versionSchema = new Schema<RuleVersionDocument>(
  {
    version: { type: Number, required: true },
    effectiveFrom: { type: String, required: true },
    effectiveTo: { type: String, default: null },
    basis: { type: basisSchema, required: true },
    dailyCap: { type: Number, default: null },
    yearlyCap: { type: Number, default: null },
    bonusPercent: { type: Number, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

const ruleSchema = new Schema<RuleDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['base', 'bonus'] },
    name: { type: String, required: true },
    source: { type: String, required: true, enum: SOURCE_KINDS },
    categories: { type: [String], enum: CONTENT_CATEGORIES, required: true },
    tiers: { type: [String], enum: TIERS, required: true },
    campaignId: { type: String, default: null },
    versions: { type: [versionSchema], required: true },
    firstYear: { type: Number, required: true },
    lastYear: { type: Number, required: true },
    revision: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'rules', versionKey: false, strict: 'throw' },
);
// The office's changes carry their audit records (the rules slice writes them).
ruleSchema.plugin(outboxPlugin);
ruleSchema.path('outbox').select(false);
// The rule book: the rules of a source in force in a year.
ruleSchema.index({ source: 1, firstYear: 1, lastYear: 1 });
// The office's list, oldest first.
ruleSchema.index({ createdAt: 1, _id: 1 });

export const ruleModel = (connection: Connection): Model<RuleDocument> =>
  connection.model<RuleDocument>('Rule', ruleSchema);

/** A rule document as the rules slice writes it: with its pending audit records. */
export type RuleRecord = RuleDocument & WithOutbox;

/** The same model as `ruleModel` (one schema), typed with the outbox the slice writes. */
export function ruleRecordModel(connection: Connection): Model<RuleRecord> {
  ruleModel(connection);
  return connection.model<RuleRecord>('Rule');
}
