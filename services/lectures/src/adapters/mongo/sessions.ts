/**
 * Lecture sessions in MongoDB. `jurisdictionPath` is the path of the venue's
 * place, so area officers' scopes and the coverage roll-ups apply to it; the
 * venue is copied from the catalogue (activities owns it, decision 0015) with
 * its setting, city or countryside, when the session is scheduled. Speakers are
 * expert ids; `speakerIds` and `venue.id` with the times serve the clash checks.
 * `grams` are the search grams of title and description (`@learning/search`).
 */
import { CONTENT_CATEGORIES, TIERS, type ContentCategory, type Tier } from '@learning/domain';
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { scopedFields, type ScopedDocument } from '@learning/mongo';
import { gramsField } from '@learning/search';
import { Schema, type Connection, type Model } from 'mongoose';
import { LECTURE_TYPES, type LectureType } from '../../domain/catalogue.js';
import {
  SESSION_STATUSES,
  VENUE_SETTINGS,
  type SessionStatus,
  type VenueSetting,
} from '../../domain/sessions.js';

export interface SessionVenueDocument {
  /** The catalogue's venue id. */
  id: string;
  name: string;
  address: string | null;
  setting: VenueSetting;
  /** Code of the township or street the venue is in (the coverage unit). */
  townshipCode: string;
}

export interface MaterialDocument {
  /** The attachment's id in the GridFS bucket. */
  fileId: string;
  name: string;
  contentType: string;
  size: number;
  publishedAt: Date;
}

export interface RecordingDocument {
  url: string;
  /** Length in seconds, when known. */
  durationSeconds: number | null;
  addedAt: Date;
}

export interface SessionCancellationDocument {
  reason: string;
  cancelledBy: string;
  cancelledAt: Date;
}

export interface SessionDocument extends ScopedDocument, WithOutbox {
  /** UUID v4. */
  _id: string;
  forumId: string;
  /** Copied from the forum so every event carries it without a lookup. */
  leadDepartment: string;
  lectureType: LectureType;
  title: string;
  description: string;
  venue: SessionVenueDocument;
  startsAt: Date;
  endsAt: Date;
  /** Expert ids, at least one. */
  speakerIds: string[];
  /** null: unlimited. */
  capacity: number | null;
  signUpOpensAt: Date;
  signUpClosesAt: Date;
  targetTiers: Tier[];
  categories: ContentCategory[];
  campaignId: string | null;
  liveStreamUrl: string | null;
  materials: MaterialDocument[];
  recording: RecordingDocument | null;
  status: SessionStatus;
  cancellation: SessionCancellationDocument | null;
  /** Set when the session is marked held, with the attendance count then. */
  heldAt: Date | null;
  attendanceCount: number | null;
  grams: string[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const options = { _id: false, strict: 'throw' } as const;

const venueSchema = new Schema<SessionVenueDocument>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    address: { type: String, default: null },
    setting: { type: String, required: true, enum: VENUE_SETTINGS },
    townshipCode: { type: String, required: true },
  },
  options,
);
const materialSchema = new Schema<MaterialDocument>(
  {
    fileId: { type: String, required: true },
    name: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    publishedAt: { type: Date, required: true },
  },
  options,
);
const recordingSchema = new Schema<RecordingDocument>(
  {
    url: { type: String, required: true },
    durationSeconds: { type: Number, default: null },
    addedAt: { type: Date, required: true },
  },
  options,
);
const cancellationSchema = new Schema<SessionCancellationDocument>(
  {
    reason: { type: String, required: true },
    cancelledBy: { type: String, required: true },
    cancelledAt: { type: Date, required: true },
  },
  options,
);

const sessionSchema = new Schema<SessionDocument>(
  {
    _id: { type: String, required: true },
    forumId: { type: String, required: true },
    leadDepartment: { type: String, required: true },
    lectureType: { type: String, required: true, enum: LECTURE_TYPES },
    title: { type: String, required: true, minlength: 1, maxlength: 200 },
    description: { type: String, default: '' },
    jurisdictionPath: scopedFields.jurisdictionPath,
    venue: { type: venueSchema, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    speakerIds: { type: [String], required: true },
    capacity: { type: Number, default: null },
    signUpOpensAt: { type: Date, required: true },
    signUpClosesAt: { type: Date, required: true },
    targetTiers: { type: [String], enum: TIERS, default: [] },
    categories: { type: [String], enum: CONTENT_CATEGORIES, default: [] },
    campaignId: { type: String, default: null },
    liveStreamUrl: { type: String, default: null },
    materials: { type: [materialSchema], default: [] },
    recording: { type: recordingSchema, default: null },
    status: { type: String, required: true, enum: SESSION_STATUSES },
    cancellation: { type: cancellationSchema, default: null },
    heldAt: { type: Date, default: null },
    attendanceCount: { type: Number, default: null },
    grams: gramsField(),
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: scopedFields.version,
  },
  { collection: 'sessions', versionKey: false, strict: 'throw' },
);
sessionSchema.plugin(outboxPlugin);
sessionSchema.path('outbox').select(false);
// The public programme: what is on in a subtree, earliest first.
sessionSchema.index({ status: 1, jurisdictionPath: 1, startsAt: 1, _id: 1 });
// The public search over the programme.
sessionSchema.index({ grams: 1, status: 1 });
// A speaker's calendar, for the clash and travel checks.
sessionSchema.index({ speakerIds: 1, startsAt: 1 });
// A venue's calendar, for the clash check.
sessionSchema.index({ 'venue.id': 1, startsAt: 1 });
// A forum's sessions, newest first (forum managers, aggregates).
sessionSchema.index({ forumId: 1, startsAt: -1 });
// Coverage per township and quarter; the scheduler's due list.
sessionSchema.index({ 'venue.townshipCode': 1, startsAt: 1 });
// Coverage of the whole city in a year: one range over the year.
sessionSchema.index({ startsAt: 1 });
sessionSchema.index({ status: 1, endsAt: 1 });

export const sessionModel = (connection: Connection): Model<SessionDocument> =>
  connection.model<SessionDocument>('Session', sessionSchema);
