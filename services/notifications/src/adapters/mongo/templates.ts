/**
 * Notice templates the office changed: one document per (kind, channel,
 * language), `_id` `<kind>:<channel>:<language>`, with the version in use
 * (`head`, what the renderer reads) and every version saved, oldest first.
 * The optimistic `revision` stops two office edits from both becoming the
 * next version; the unique `_id` stops two first saves.
 */
import { outboxPlugin, type WithOutbox } from '@learning/events';
import { Schema, type Connection, type Model } from 'mongoose';
import {
  CHANNELS,
  NOTICE_KIND_NAMES,
  type Channel,
  type NoticeKind,
} from '../../domain/notices.js';
import { LANGUAGES, type Language } from '../../domain/preferences.js';

export interface TemplateVersionDocument {
  version: number;
  title: string;
  body: string;
  restoredFrom: number | null;
  createdBy: string;
  createdAt: Date;
}

export interface TemplateDocument {
  _id: string;
  kind: NoticeKind;
  channel: Channel;
  language: Language;
  head: TemplateVersionDocument;
  versions: TemplateVersionDocument[];
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

const versionSchema = new Schema<TemplateVersionDocument>(
  {
    version: { type: Number, required: true },
    // Empty for SMS (no title): not `required`, which refuses ''.
    title: { type: String, default: '' },
    body: { type: String, required: true },
    restoredFrom: { type: Number, default: null },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

const templateSchema = new Schema<TemplateDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: NOTICE_KIND_NAMES },
    channel: { type: String, required: true, enum: CHANNELS },
    language: { type: String, required: true, enum: LANGUAGES },
    head: { type: versionSchema, required: true },
    versions: { type: [versionSchema], required: true },
    revision: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'templates', versionKey: false, strict: 'throw' },
);
// The office's changes carry their audit records (the templates slice writes them).
templateSchema.plugin(outboxPlugin);
templateSchema.path('outbox').select(false);

/** A template document as the templates slice writes it: with its pending audit records. */
export type TemplateRecord = TemplateDocument & WithOutbox;

/** Registers the model once per connection (the renderer and the routes share it), typed with its outbox. */
export function templateModel(connection: Connection): Model<TemplateRecord> {
  if (!Object.prototype.hasOwnProperty.call(connection.models, 'Template'))
    connection.model<TemplateDocument>('Template', templateSchema);
  return connection.model<TemplateRecord>('Template');
}
