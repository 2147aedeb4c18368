/**
 * A person's preferences, one document per recipient (a participant id or
 * `officer:<subject>`), written whole by each PUT; `revision` counts the
 * writes so a screen saving over another's change is told.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '@learning/mongo';
import type { PreferenceReader } from '../../application/ports.js';
import type { PreferenceStore, StoredPreferences } from '../../application/preferences/ports.js';
import { CATEGORIES, CHANNELS, type Category, type Channel } from '../../domain/notices.js';
import {
  DIGEST_MODES,
  LANGUAGES,
  defaultPreferences,
  type DigestMode,
  type Language,
  type Preferences,
} from '../../domain/preferences.js';

export interface PreferencesDocument {
  _id: string;
  language: Language;
  /** Null: the city's. */
  timeZone: string | null;
  optOuts: { category: Category; channel: Channel }[];
  quietHours: { start: string; end: string } | null;
  digest: DigestMode;
  revision: number;
  updatedAt: Date;
}

const preferencesSchema = new Schema<PreferencesDocument>(
  {
    _id: { type: String, required: true },
    language: { type: String, required: true, enum: LANGUAGES },
    timeZone: { type: String, default: null },
    optOuts: {
      type: [
        new Schema(
          {
            category: { type: String, required: true, enum: CATEGORIES },
            channel: { type: String, required: true, enum: CHANNELS },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    quietHours: {
      type: new Schema(
        { start: { type: String, required: true }, end: { type: String, required: true } },
        { _id: false },
      ),
      default: null,
    },
    digest: { type: String, required: true, enum: DIGEST_MODES },
    revision: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'preferences', versionKey: false, strict: 'throw' },
);

export const preferencesModel = (connection: Connection): Model<PreferencesDocument> =>
  connection.model<PreferencesDocument>('Preferences', preferencesSchema);

export const preferencesOf = (doc: PreferencesDocument, cityTimeZone: string): Preferences => ({
  language: doc.language,
  timeZone: doc.timeZone ?? cityTimeZone,
  optOuts: doc.optOuts.map(({ category, channel }) => ({ category, channel })),
  quietHours:
    doc.quietHours === null ? null : { start: doc.quietHours.start, end: doc.quietHours.end },
  digest: doc.digest,
});

/** Everyone's preferences in one `$in` read; defaults for those who set none. */
export class MongoPreferenceReader implements PreferenceReader {
  constructor(
    private readonly model: Model<PreferencesDocument>,
    private readonly cityTimeZone: string,
  ) {}

  async of(recipients: readonly string[]): Promise<ReadonlyMap<string, Preferences>> {
    const found = new Map<string, Preferences>();
    if (recipients.length === 0) return found;
    const docs = await this.model
      .find({ _id: { $in: [...new Set(recipients)] } })
      .lean<PreferencesDocument[]>();
    for (const doc of docs) found.set(doc._id, preferencesOf(doc, this.cityTimeZone));
    for (const recipient of recipients)
      if (!found.has(recipient)) found.set(recipient, defaultPreferences(this.cityTimeZone));
    return found;
  }
}

/** The preference routes' store: a whole document per PUT, guarded by its revision when one is sent. */
export class MongoPreferenceStore implements PreferenceStore {
  constructor(private readonly model: Model<PreferencesDocument>) {}

  async get(
    recipient: string,
  ): Promise<{ preferences: StoredPreferences; revision: number } | null> {
    const doc = await this.model.findById(recipient).lean<PreferencesDocument>();
    if (doc === null) return null;
    return {
      preferences: {
        language: doc.language,
        timeZone: doc.timeZone,
        optOuts: doc.optOuts.map(({ category, channel }) => ({ category, channel })),
        quietHours:
          doc.quietHours === null ? null : { start: doc.quietHours.start, end: doc.quietHours.end },
        digest: doc.digest,
      },
      revision: doc.revision,
    };
  }

  async put(
    recipient: string,
    preferences: StoredPreferences,
    expectedRevision: number | undefined,
    now: Date,
  ): Promise<number | 'conflict'> {
    const fields = {
      language: preferences.language,
      timeZone: preferences.timeZone,
      optOuts: preferences.optOuts.map(({ category, channel }) => ({ category, channel })),
      quietHours: preferences.quietHours,
      digest: preferences.digest,
      updatedAt: now,
    };
    if (expectedRevision === 0) {
      try {
        await this.model.create({ _id: recipient, ...fields, revision: 1 });
        return 1;
      } catch (error) {
        if (isDuplicateKey(error)) return 'conflict';
        throw error;
      }
    }
    const saved = await this.model
      .findOneAndUpdate(
        expectedRevision === undefined
          ? { _id: recipient }
          : { _id: recipient, revision: expectedRevision },
        { $set: fields, $inc: { revision: 1 } },
        { new: true, upsert: expectedRevision === undefined, projection: { revision: 1 } },
      )
      .lean<Pick<PreferencesDocument, 'revision'>>();
    return saved === null ? 'conflict' : saved.revision;
  }
}
