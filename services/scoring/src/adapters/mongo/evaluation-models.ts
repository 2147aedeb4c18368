/**
 * The annual evaluation's collections that more than one of its parts read
 * (decision 0019): indicator systems, assessments, inspections and the
 * funding records. Each part keeps its repository beside these models; the
 * outbox rides on the document that changes. Awards, nominations, reviews
 * and cases belong to the awards part alone and live beside it.
 *
 * Scores and weights are integer hundredths (domain/evaluation.ts); money is
 * integer fen (分), never a float.
 */
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { ORGANIZATION_KINDS, type OrganizationKind } from '@learning/domain';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  ASSESSMENT_STATUSES,
  INDICATOR_METHOD_KINDS,
  SUBJECT_KINDS,
  SYSTEM_TARGETS,
  type AssessmentStatus,
  type Indicator,
  type IndicatorResult,
  type SubjectKind,
  type SystemTarget,
} from '../../domain/evaluation.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

// ---------------------------------------------------------------- indicator systems

export interface IndicatorSystemDocument extends WithOutbox {
  /** UUID v4; the same id across the system's versions. */
  _id: string;
  year: number;
  target: SystemTarget;
  name: string;
  /** From 1; each change that is saved adds one. */
  version: number;
  passMark: number;
  indicators: Mutable<Indicator>[];
  /** Earlier versions, oldest first: what a computed assessment's version said. */
  history: {
    version: number;
    passMark: number;
    indicators: Mutable<Indicator>[];
    savedAt: Date;
    savedBy: string;
  }[];
  /** Set once an assessment under it is locked: the system no longer changes. */
  frozenAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const indicatorSchema = new Schema(
  {
    key: { type: String, required: true },
    name: { type: String, required: true },
    weight: { type: Number, required: true, min: 1 },
    method: {
      type: new Schema(
        {
          kind: { type: String, required: true, enum: INDICATOR_METHOD_KINDS },
          metric: String,
          atLeast: Number,
          from: Number,
          to: Number,
          numerator: String,
          denominator: String,
        },
        { _id: false, strict: 'throw' },
      ),
      required: true,
    },
  },
  { _id: false, strict: 'throw' },
);

const indicatorSystemSchema = new Schema<IndicatorSystemDocument>(
  {
    _id: { type: String, required: true },
    year: { type: Number, required: true },
    target: { type: String, required: true, enum: SYSTEM_TARGETS },
    name: { type: String, required: true },
    version: { type: Number, required: true, min: 1 },
    passMark: { type: Number, required: true, min: 0 },
    indicators: { type: [indicatorSchema], required: true },
    history: {
      type: [
        new Schema(
          {
            version: { type: Number, required: true },
            passMark: { type: Number, required: true },
            indicators: { type: [indicatorSchema], required: true },
            savedAt: { type: Date, required: true },
            savedBy: { type: String, required: true },
          },
          { _id: false, strict: 'throw' },
        ),
      ],
      default: [],
    },
    frozenAt: { type: Date, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'indicator_systems', versionKey: false, strict: 'throw', minimize: false },
);
indicatorSystemSchema.plugin(outboxPlugin);
// One system per target and year.
indicatorSystemSchema.index({ year: 1, target: 1 }, { unique: true });

// ---------------------------------------------------------------- assessments

export interface AppealDecision {
  outcome: 'upheld' | 'rejected';
  reason: string;
  decidedBy: string;
  decidedAt: Date;
}

export interface Appeal {
  id: string;
  filedBy: string;
  filedAt: Date;
  /** What the organization disputes, in its own words. */
  grounds: string;
  /** The indicators it disputes, by key; empty: the whole result. */
  indicatorKeys: string[];
  decision: AppealDecision | null;
}

export interface AssessmentDocument extends WithOutbox {
  /** UUID v4. */
  _id: string;
  year: number;
  subjectKind: SubjectKind;
  /** The organization's id, or the area's jurisdiction code. */
  subjectId: string;
  /** 1 for the year's first; a correction of a locked assessment is the next one. */
  sequence: number;
  subjectName: string;
  organizationKind: OrganizationKind | null;
  leadDepartment: string | null;
  /** From the city down to the subject's own place (an area's ends with its own code). */
  jurisdictionPath: string[];
  systemId: string;
  systemVersion: number;
  status: AssessmentStatus;
  score: number;
  passMark: number;
  passed: boolean;
  indicators: Mutable<IndicatorResult>[];
  /** A digest of the readings the result came from: the same readings never count as a change. */
  inputsDigest: string;
  /** Counts computations that changed the result, from 1. */
  revision: number;
  /** Its data changed since it was computed; the next recomputation takes it. */
  stale: boolean;
  computedAt: Date;
  appeal: Appeal | null;
  lockedAt: Date | null;
  lockedBy: string | null;
  /** The locked assessment this one corrects. */
  correctsId: string | null;
  /** The correction that replaced this one; null while it is the current assessment. */
  correctedById: string | null;
  correctionReason: string | null;
}

const appealSchema = new Schema<Appeal>(
  {
    id: { type: String, required: true },
    filedBy: { type: String, required: true },
    filedAt: { type: Date, required: true },
    grounds: { type: String, required: true },
    indicatorKeys: { type: [String], default: [] },
    decision: {
      type: new Schema<AppealDecision>(
        {
          outcome: { type: String, required: true, enum: ['upheld', 'rejected'] },
          reason: { type: String, required: true },
          decidedBy: { type: String, required: true },
          decidedAt: { type: Date, required: true },
        },
        { _id: false, strict: 'throw' },
      ),
      default: null,
    },
  },
  { _id: false, strict: 'throw' },
);

const assessmentSchema = new Schema<AssessmentDocument>(
  {
    _id: { type: String, required: true },
    year: { type: Number, required: true },
    subjectKind: { type: String, required: true, enum: SUBJECT_KINDS },
    subjectId: { type: String, required: true },
    sequence: { type: Number, required: true, min: 1 },
    subjectName: { type: String, required: true },
    organizationKind: { type: String, enum: [...ORGANIZATION_KINDS, null], default: null },
    leadDepartment: { type: String, default: null },
    jurisdictionPath: { type: [String], required: true },
    systemId: { type: String, required: true },
    systemVersion: { type: Number, required: true },
    status: { type: String, required: true, enum: ASSESSMENT_STATUSES },
    score: { type: Number, required: true },
    passMark: { type: Number, required: true },
    passed: { type: Boolean, required: true },
    // Results are written whole by the computation and read whole: no schema of their own.
    indicators: { type: Schema.Types.Mixed, required: true },
    inputsDigest: { type: String, required: true },
    revision: { type: Number, required: true, min: 1 },
    stale: { type: Boolean, required: true },
    computedAt: { type: Date, required: true },
    appeal: { type: appealSchema, default: null },
    lockedAt: { type: Date, default: null },
    lockedBy: { type: String, default: null },
    correctsId: { type: String, default: null },
    correctedById: { type: String, default: null },
    correctionReason: { type: String, default: null },
  },
  { collection: 'assessments', versionKey: false, strict: 'throw', minimize: false },
);
assessmentSchema.plugin(outboxPlugin);
// A subject's assessments of a year, in order; a correction takes the next sequence.
assessmentSchema.index({ year: 1, subjectKind: 1, subjectId: 1, sequence: 1 }, { unique: true });
// The year's ranking tables and lists: by kind, best first.
assessmentSchema.index({ year: 1, subjectKind: 1, organizationKind: 1, score: -1 });
// What the recomputation picks up.
assessmentSchema.index({ stale: 1, year: 1 });

// ---------------------------------------------------------------- inspections

export interface InspectionPhoto {
  /** A reference to a file in the city's file store (`https://…` or `file-store://…`), never the bytes. */
  fileRef: string;
  caption: string;
}

export interface InspectionDocument extends WithOutbox {
  _id: string;
  year: number;
  subjectKind: SubjectKind;
  subjectId: string;
  jurisdictionPath: string[];
  /** `YYYY-MM-DD`, the city's calendar. */
  inspectedOn: string;
  inspectorId: string;
  findings: string;
  /** 0–100, whole points: what `inspection_rating` averages. */
  rating: number;
  photos: InspectionPhoto[];
  createdAt: Date;
}

const inspectionSchema = new Schema<InspectionDocument>(
  {
    _id: { type: String, required: true },
    year: { type: Number, required: true },
    subjectKind: { type: String, required: true, enum: SUBJECT_KINDS },
    subjectId: { type: String, required: true },
    jurisdictionPath: { type: [String], required: true },
    inspectedOn: { type: String, required: true },
    inspectorId: { type: String, required: true },
    findings: { type: String, required: true },
    rating: { type: Number, required: true, min: 0, max: 100 },
    photos: {
      type: [
        new Schema<InspectionPhoto>(
          { fileRef: { type: String, required: true }, caption: { type: String, default: '' } },
          { _id: false, strict: 'throw' },
        ),
      ],
      default: [],
    },
    createdAt: { type: Date, required: true },
  },
  { collection: 'inspections', versionKey: false, strict: 'throw', minimize: false },
);
inspectionSchema.plugin(outboxPlugin);
inspectionSchema.index({ year: 1, subjectKind: 1, subjectId: 1, inspectedOn: 1 });

// ---------------------------------------------------------------- funding (§6.4)

/** A line of the city's yearly allocation (政府拨款): what it is for and what is left of it. */
export interface FundingLineDocument extends WithOutbox {
  _id: string;
  year: number;
  /** Stable within the year, `[a-z0-9-]{1,40}`: "awards", "training-rural". */
  code: string;
  name: string;
  /** What it funds: a training programme's id, "awards", or empty for general use. */
  purpose: string;
  amountFen: number;
  /** What is not yet committed (material awards, spending recorded against it). */
  remainingFen: number;
  /** What was committed against it, one per reference: a reference committed twice spends once. */
  commitments: FundingCommitmentRecord[];
  /** Bumped by each change of the line's terms (not by commitments); an office edit applies only at the revision read. */
  revision: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface FundingCommitmentRecord {
  /** What the money is for, unique on the line: an award's id. */
  reference: string;
  amountFen: number;
  committedAt: Date;
}

const fundingLineSchema = new Schema<FundingLineDocument>(
  {
    _id: { type: String, required: true },
    year: { type: Number, required: true },
    code: { type: String, required: true },
    name: { type: String, required: true },
    purpose: { type: String, default: '' },
    amountFen: { type: Number, required: true, min: 0 },
    remainingFen: { type: Number, required: true, min: 0 },
    commitments: {
      type: [
        new Schema<FundingCommitmentRecord>(
          {
            reference: { type: String, required: true },
            amountFen: { type: Number, required: true, min: 1 },
            committedAt: { type: Date, required: true },
          },
          { _id: false, strict: 'throw' },
        ),
      ],
      default: [],
    },
    revision: { type: Number, required: true, min: 1, default: 1 },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'funding_lines', versionKey: false, strict: 'throw', minimize: false },
);
fundingLineSchema.plugin(outboxPlugin);
fundingLineSchema.index({ year: 1, code: 1 }, { unique: true });

/** Money or goods received from outside the budget: social sponsorship (社会赞助) or a voluntary donation (自愿捐助). */
export interface FundingReceiptDocument extends WithOutbox {
  _id: string;
  year: number;
  source: 'sponsorship' | 'donation';
  /** Who gave it: an enterprise's or a person's name as they agreed to be named. */
  donor: string;
  /** Value in fen; goods at their declared value. */
  amountFen: number;
  /** Goods given, described ("500 册农业科技图书"); empty for money. */
  inKind: string;
  /** The programme it is for: a training programme's id, a campaign's id, or empty. */
  programme: string;
  /** The area it benefits, from the city down. */
  jurisdictionPath: string[];
  /** `YYYY-MM-DD`. */
  receivedOn: string;
  recordedBy: string;
  createdAt: Date;
}

const fundingReceiptSchema = new Schema<FundingReceiptDocument>(
  {
    _id: { type: String, required: true },
    year: { type: Number, required: true },
    source: { type: String, required: true, enum: ['sponsorship', 'donation'] },
    donor: { type: String, required: true },
    amountFen: { type: Number, required: true, min: 0 },
    inKind: { type: String, default: '' },
    programme: { type: String, default: '' },
    jurisdictionPath: { type: [String], required: true },
    receivedOn: { type: String, required: true },
    recordedBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'funding_receipts', versionKey: false, strict: 'throw', minimize: false },
);
fundingReceiptSchema.plugin(outboxPlugin);
fundingReceiptSchema.index({ year: 1, jurisdictionPath: 1 });
// The newest-first list.
fundingReceiptSchema.index({ createdAt: -1, _id: -1 });

/**
 * An enterprise's yearly training figures, as activities publishes them
 * (`activities.enterprise-training.reported.v1`): the highest revision is the year's.
 */
export interface EnterpriseTrainingReportDocument {
  /** `<organizationId>:<year>`. */
  _id: string;
  organizationId: string;
  year: number;
  reportId: string;
  revision: number;
  trainees: number;
  trainingMinutes: number;
  spendFen: number;
  /** The department leading enterprises, from the report's routing: whose officers read it. */
  leadDepartment: string;
  jurisdictionPath: string[];
  reportedAt: Date;
}

const enterpriseTrainingReportSchema = new Schema<EnterpriseTrainingReportDocument>(
  {
    _id: { type: String, required: true },
    organizationId: { type: String, required: true },
    year: { type: Number, required: true },
    reportId: { type: String, required: true },
    revision: { type: Number, required: true, min: 1 },
    trainees: { type: Number, required: true, min: 0 },
    trainingMinutes: { type: Number, required: true, min: 0 },
    spendFen: { type: Number, required: true, min: 0 },
    leadDepartment: { type: String, default: '' },
    jurisdictionPath: { type: [String], required: true },
    reportedAt: { type: Date, required: true },
  },
  {
    collection: 'enterprise_training_reports',
    versionKey: false,
    strict: 'throw',
    minimize: false,
  },
);
enterpriseTrainingReportSchema.index({ year: 1, organizationId: 1 });

export const indicatorSystemModel = (connection: Connection): Model<IndicatorSystemDocument> =>
  connection.model<IndicatorSystemDocument>('IndicatorSystem', indicatorSystemSchema);
export const assessmentModel = (connection: Connection): Model<AssessmentDocument> =>
  connection.model<AssessmentDocument>('Assessment', assessmentSchema);
export const inspectionModel = (connection: Connection): Model<InspectionDocument> =>
  connection.model<InspectionDocument>('Inspection', inspectionSchema);
export const fundingLineModel = (connection: Connection): Model<FundingLineDocument> =>
  connection.model<FundingLineDocument>('FundingLine', fundingLineSchema);
export const fundingReceiptModel = (connection: Connection): Model<FundingReceiptDocument> =>
  connection.model<FundingReceiptDocument>('FundingReceipt', fundingReceiptSchema);
export const enterpriseTrainingReportModel = (
  connection: Connection,
): Model<EnterpriseTrainingReportDocument> =>
  connection.model<EnterpriseTrainingReportDocument>(
    'EnterpriseTrainingReport',
    enterpriseTrainingReportSchema,
  );
