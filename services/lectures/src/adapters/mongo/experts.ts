/**
 * The expert pool in MongoDB. An expert is one registration identity
 * (`accountSubject`, unique); contact data is held as registration holds it:
 * encrypted (`@learning/pii`), never returned to anyone but the office and the
 * expert, never logged. Availability windows are kept sorted by start.
 */
import { CONTENT_CATEGORIES, type ContentCategory } from '@learning/domain';
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  EXPERT_STATUSES,
  TRAVEL_RADII,
  type AvailabilityWindow,
  type ExpertStatus,
  type TravelRadius,
} from '../../domain/experts.js';

export interface ExpertDocument extends WithOutbox {
  /** UUID v4. */
  _id: string;
  /** The `sub` of the expert's token: the same person registration knows. */
  accountSubject: string;
  /** Registration's participant id of that person. */
  participantId: string;
  /** The name the programme prints (experts are public speakers). */
  displayName: string;
  /** Professional title, e.g. 教授, 研究员. */
  title: string;
  employer: string;
  /** Content categories the expert lectures in. */
  fields: ContentCategory[];
  /** Free-text specialties, e.g. 宋韵文化, 乡村振兴. */
  specialties: string[];
  /** BCP 47 tags, e.g. zh-CN, en. */
  languages: string[];
  availability: AvailabilityWindow[];
  travelRadius: TravelRadius;
  /** Encrypted with `@learning/pii`; null when not given. */
  phoneEncrypted: string | null;
  emailEncrypted: string | null;
  status: ExpertStatus;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const windowSchema = new Schema<AvailabilityWindow>(
  { startsAt: { type: Date, required: true }, endsAt: { type: Date, required: true } },
  { _id: false, strict: 'throw' },
);

const expertSchema = new Schema<ExpertDocument>(
  {
    _id: { type: String, required: true },
    accountSubject: { type: String, required: true },
    participantId: { type: String, required: true },
    displayName: { type: String, required: true, minlength: 1, maxlength: 100 },
    title: { type: String, default: '' },
    employer: { type: String, default: '' },
    fields: { type: [String], enum: CONTENT_CATEGORIES, default: [] },
    specialties: { type: [String], default: [] },
    languages: { type: [String], default: [] },
    availability: { type: [windowSchema], default: [] },
    travelRadius: { type: String, required: true, enum: TRAVEL_RADII },
    phoneEncrypted: { type: String, default: null, select: false },
    emailEncrypted: { type: String, default: null, select: false },
    status: { type: String, required: true, enum: EXPERT_STATUSES },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true, default: 0 },
  },
  { collection: 'experts', versionKey: false, strict: 'throw' },
);
expertSchema.plugin(outboxPlugin);
expertSchema.path('outbox').select(false);
// One expert record per person.
expertSchema.index({ accountSubject: 1 }, { unique: true });
// The suggestion list: active experts by field.
expertSchema.index({ status: 1, fields: 1 });

export const expertModel = (connection: Connection): Model<ExpertDocument> =>
  connection.model<ExpertDocument>('Expert', expertSchema);
