/**
 * The lecture series and its forums in MongoDB. A forum names its managers by
 * account subject (the `sub` of their token), so "their forum only" is one
 * equality on the document; the lead department routes its events.
 */
import { CONTENT_CATEGORIES, TIERS, type ContentCategory, type Tier } from '@learning/domain';
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { Schema, type Connection, type Model } from 'mongoose';
import { FORUM_STATUSES, type ForumStatus } from '../../domain/catalogue.js';

export interface SeriesDocument extends WithOutbox {
  /** UUID v4. */
  _id: string;
  name: string;
  description: string;
  /** Code of the department that runs the series (the propaganda department for 玉海大讲坛). */
  ownerDepartment: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface ForumDocument extends WithOutbox {
  /** UUID v4. */
  _id: string;
  seriesId: string;
  name: string;
  description: string;
  /** Account subjects of the people who manage the forum. */
  managerSubjects: string[];
  targetTiers: Tier[];
  categories: ContentCategory[];
  /** Code of the department whose events these are (routing field of every event). */
  leadDepartment: string;
  /**
   * The series' owner department, copied when the forum is created (a series
   * keeps its owner), so who runs a forum is decided from the forum alone.
   */
  ownerDepartment?: string;
  status: ForumStatus;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

const seriesSchema = new Schema<SeriesDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true, minlength: 1, maxlength: 200 },
    description: { type: String, default: '' },
    ownerDepartment: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true, default: 0 },
  },
  { collection: 'series', versionKey: false, strict: 'throw' },
);
seriesSchema.plugin(outboxPlugin);
seriesSchema.path('outbox').select(false);
// One series per name: the office adds 玉海大讲坛 once.
seriesSchema.index({ name: 1 }, { unique: true });

const forumSchema = new Schema<ForumDocument>(
  {
    _id: { type: String, required: true },
    seriesId: { type: String, required: true },
    name: { type: String, required: true, minlength: 1, maxlength: 200 },
    description: { type: String, default: '' },
    managerSubjects: { type: [String], default: [] },
    targetTiers: { type: [String], enum: TIERS, default: [] },
    categories: { type: [String], enum: CONTENT_CATEGORIES, default: [] },
    leadDepartment: { type: String, required: true },
    ownerDepartment: { type: String },
    status: { type: String, required: true, enum: FORUM_STATUSES },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    version: { type: Number, required: true, default: 0 },
  },
  { collection: 'forums', versionKey: false, strict: 'throw' },
);
forumSchema.plugin(outboxPlugin);
forumSchema.path('outbox').select(false);
// A forum's name is unique within its series.
forumSchema.index({ seriesId: 1, name: 1 }, { unique: true });
// A manager's own forums.
forumSchema.index({ managerSubjects: 1 });

export const seriesModel = (connection: Connection): Model<SeriesDocument> =>
  connection.model<SeriesDocument>('Series', seriesSchema);

export const forumModel = (connection: Connection): Model<ForumDocument> =>
  connection.model<ForumDocument>('Forum', forumSchema);
