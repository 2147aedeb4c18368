/**
 * The awards part's own collections (issue 15): award rounds, nominations
 * (their reviews and recusals inside, so one expert's score is one array
 * element, written atomically with the document), awards and exemplary
 * cases. Awards and cases carry their events in their outbox; rounds their
 * audit records. Money is integer fen.
 */
import {
  AWARD_CATEGORIES,
  ORGANIZATION_KINDS,
  type AwardCategory,
  type OrganizationKind,
} from '@learning/domain';
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  CASE_STATUSES,
  NOMINEE_KINDS,
  ROUND_STATUSES,
  type CaseStatus,
  type NomineeKind,
  type RoundStatus,
} from '../../domain/awards.js';

export interface NomineeDocument {
  kind: NomineeKind;
  id: string;
  name: string;
  organizationKind: OrganizationKind | null;
  leadDepartment: string | null;
  jurisdictionPath: string[];
  organizationIds: string[];
}

const nomineeSchema = new Schema<NomineeDocument>(
  {
    kind: { type: String, required: true, enum: NOMINEE_KINDS },
    id: { type: String, required: true },
    name: { type: String, required: true },
    organizationKind: { type: String, enum: [...ORGANIZATION_KINDS, null], default: null },
    leadDepartment: { type: String, default: null },
    jurisdictionPath: { type: [String], required: true },
    organizationIds: { type: [String], default: [] },
  },
  { _id: false, strict: 'throw' },
);

// ---------------------------------------------------------------- rounds

export interface AwardRoundDocument extends WithOutbox {
  _id: string;
  year: number;
  category: AwardCategory;
  organizationKind: OrganizationKind | null;
  title: string;
  /** `YYYY-MM-DD`, the city's calendar: the last day nominations are taken. */
  nominationsClose: string;
  places: number;
  materialAwardFen: number;
  fundingLineId: string | null;
  status: RoundStatus;
  createdBy: string;
  createdAt: Date;
  publishedAt: Date | null;
}

const awardRoundSchema = new Schema<AwardRoundDocument>(
  {
    _id: { type: String, required: true },
    year: { type: Number, required: true },
    category: { type: String, required: true, enum: AWARD_CATEGORIES },
    organizationKind: { type: String, enum: [...ORGANIZATION_KINDS, null], default: null },
    title: { type: String, required: true },
    nominationsClose: { type: String, required: true },
    places: { type: Number, required: true, min: 1 },
    materialAwardFen: { type: Number, required: true, min: 0 },
    fundingLineId: { type: String, default: null },
    status: { type: String, required: true, enum: ROUND_STATUSES },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    publishedAt: { type: Date, default: null },
  },
  { collection: 'award_rounds', versionKey: false, strict: 'throw', minimize: false },
);
awardRoundSchema.plugin(outboxPlugin);
awardRoundSchema.index({ year: 1, category: 1 });

// ---------------------------------------------------------------- nominations

export interface NominationDocument {
  _id: string;
  roundId: string;
  nominee: NomineeDocument;
  statement: string;
  evidence: {
    assessment: {
      assessmentId: string;
      locked: boolean;
      passed: boolean;
      score: number;
      rank: number;
      rankedOutOf: number;
    } | null;
    person: { credits: number; minutes: number; trainingCompletions: number } | null;
  };
  nominatedBy: string;
  reviews: { expertId: string; score: number; comment: string; reviewedAt: Date }[];
  recusals: { expertId: string; reason: string; declaredAt: Date }[];
  createdAt: Date;
}

const nominationSchema = new Schema<NominationDocument>(
  {
    _id: { type: String, required: true },
    roundId: { type: String, required: true },
    nominee: { type: nomineeSchema, required: true },
    statement: { type: String, required: true },
    // Written whole when the nomination is made and read whole: no schema of its own.
    evidence: { type: Schema.Types.Mixed, required: true },
    nominatedBy: { type: String, required: true },
    reviews: {
      type: [
        new Schema(
          {
            expertId: { type: String, required: true },
            score: { type: Number, required: true, min: 0, max: 100 },
            comment: { type: String, default: '' },
            reviewedAt: { type: Date, required: true },
          },
          { _id: false, strict: 'throw' },
        ),
      ],
      default: [],
    },
    recusals: {
      type: [
        new Schema(
          {
            expertId: { type: String, required: true },
            reason: { type: String, required: true },
            declaredAt: { type: Date, required: true },
          },
          { _id: false, strict: 'throw' },
        ),
      ],
      default: [],
    },
    createdAt: { type: Date, required: true },
  },
  { collection: 'award_nominations', versionKey: false, strict: 'throw', minimize: false },
);
// One nomination per round and nominee (NOMINATION_EXISTS).
nominationSchema.index({ roundId: 1, 'nominee.kind': 1, 'nominee.id': 1 }, { unique: true });
nominationSchema.index({ roundId: 1, createdAt: 1 });

// ---------------------------------------------------------------- awards

export interface AwardDocument extends WithOutbox {
  _id: string;
  nominationId: string;
  roundId: string;
  year: number;
  category: AwardCategory;
  organizationKind: OrganizationKind | null;
  nominee: NomineeDocument;
  place: number;
  materialAwardFen: number;
  fundingLineId: string | null;
  grantedBy: string;
  grantedAt: Date;
  /** Set when the round is published; public lists show only these. */
  publishedAt: Date | null;
}

const awardSchema = new Schema<AwardDocument>(
  {
    _id: { type: String, required: true },
    nominationId: { type: String, required: true },
    roundId: { type: String, required: true },
    year: { type: Number, required: true },
    category: { type: String, required: true, enum: AWARD_CATEGORIES },
    organizationKind: { type: String, enum: [...ORGANIZATION_KINDS, null], default: null },
    nominee: { type: nomineeSchema, required: true },
    place: { type: Number, required: true, min: 1 },
    materialAwardFen: { type: Number, required: true, min: 0 },
    fundingLineId: { type: String, default: null },
    grantedBy: { type: String, required: true },
    grantedAt: { type: Date, required: true },
    publishedAt: { type: Date, default: null },
  },
  { collection: 'awards', versionKey: false, strict: 'throw', minimize: false },
);
awardSchema.plugin(outboxPlugin);
// A nomination is granted once however often it is approved.
awardSchema.index({ nominationId: 1 }, { unique: true });
// Each place of a round is filled once: two approvals at once cannot exceed the places.
awardSchema.index({ roundId: 1, place: 1 }, { unique: true });
// The public list: published, newest first, by year and category.
awardSchema.index({ publishedAt: 1, year: 1, category: 1, grantedAt: -1 });

// ---------------------------------------------------------------- exemplary cases (§6.3)

export interface CaseDocument extends WithOutbox {
  _id: string;
  awardId: string;
  year: number;
  category: AwardCategory;
  organizationKind: OrganizationKind | null;
  nominee: NomineeDocument;
  title: string;
  body: string;
  images: { fileRef: string; caption: string }[];
  consent: {
    given: boolean;
    by: string;
    recordedOn: string;
    documentRef: string;
    withdrawnAt: Date | null;
  } | null;
  status: CaseStatus;
  publishedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const caseSchema = new Schema<CaseDocument>(
  {
    _id: { type: String, required: true },
    awardId: { type: String, required: true },
    year: { type: Number, required: true },
    category: { type: String, required: true, enum: AWARD_CATEGORIES },
    organizationKind: { type: String, enum: [...ORGANIZATION_KINDS, null], default: null },
    nominee: { type: nomineeSchema, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    images: {
      type: [
        new Schema(
          { fileRef: { type: String, required: true }, caption: { type: String, default: '' } },
          { _id: false, strict: 'throw' },
        ),
      ],
      default: [],
    },
    consent: {
      type: new Schema(
        {
          given: { type: Boolean, required: true },
          by: { type: String, required: true },
          recordedOn: { type: String, required: true },
          documentRef: { type: String, required: true },
          withdrawnAt: { type: Date, default: null },
        },
        { _id: false, strict: 'throw' },
      ),
      default: null,
    },
    status: { type: String, required: true, enum: CASE_STATUSES },
    publishedAt: { type: Date, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'award_cases', versionKey: false, strict: 'throw', minimize: false },
);
caseSchema.plugin(outboxPlugin);
// One story per award.
caseSchema.index({ awardId: 1 }, { unique: true });
// The public feed: published, newest first.
caseSchema.index({ status: 1, year: 1, publishedAt: -1 });

export const awardRoundModel = (connection: Connection): Model<AwardRoundDocument> =>
  connection.model<AwardRoundDocument>('AwardRound', awardRoundSchema);
export const nominationModel = (connection: Connection): Model<NominationDocument> =>
  connection.model<NominationDocument>('AwardNomination', nominationSchema);
export const awardModel = (connection: Connection): Model<AwardDocument> =>
  connection.model<AwardDocument>('Award', awardSchema);
export const caseModel = (connection: Connection): Model<CaseDocument> =>
  connection.model<CaseDocument>('AwardCase', caseSchema);
