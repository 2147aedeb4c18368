/**
 * The templates slice's reads and writes over the template documents
 * (templates.ts): a save appends a version, moves the head and carries its
 * audit record in one single-document write, at the revision read.
 */
import { insertWithEvents, updateWithEvents } from '@learning/events';
import { AppError } from '@learning/errors';
import { isDuplicateKey } from '@learning/mongo';
import type { Model } from 'mongoose';
import type {
  NewVersion,
  StoredTemplate,
  TemplateHead,
  TemplateRepository,
  TemplateVersion,
} from '../../application/templates/ports.js';
import { templateIdOf, type TemplateKey } from '../../domain/templates.js';
import type { TemplateRecord, TemplateVersionDocument } from './templates.js';

const versionOf = (document: TemplateVersionDocument): TemplateVersion => ({
  version: document.version,
  title: document.title,
  body: document.body,
  restoredFrom: document.restoredFrom,
  createdBy: document.createdBy,
  createdAt: document.createdAt,
});

const keyOf = (document: Pick<TemplateRecord, 'kind' | 'channel' | 'language'>): TemplateKey => ({
  kind: document.kind,
  channel: document.channel,
  language: document.language,
});

const storedOf = (document: TemplateRecord): StoredTemplate => ({
  key: keyOf(document),
  head: versionOf(document.head),
  versions: document.versions.map(versionOf),
  revision: document.revision,
  updatedAt: document.updatedAt,
});

const versionDocument = (version: TemplateVersion): TemplateVersionDocument => ({
  version: version.version,
  title: version.title,
  body: version.body,
  restoredFrom: version.restoredFrom,
  createdBy: version.createdBy,
  createdAt: version.createdAt,
});

const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The template was changed by someone else; reload it and try again.',
  );

export class MongoTemplateRepository implements TemplateRepository {
  constructor(private readonly model: Model<TemplateRecord>) {}

  async get(key: TemplateKey): Promise<StoredTemplate | null> {
    const document = await this.model.findOne({ _id: templateIdOf(key) }).lean<TemplateRecord>();
    return document === null ? null : storedOf(document);
  }

  async heads(): Promise<TemplateHead[]> {
    // At most one document per kind, channel and language: a few hundred heads.
    const documents = await this.model
      .find({}, { kind: 1, channel: 1, language: 1, head: 1, updatedAt: 1 })
      .lean<Pick<TemplateRecord, 'kind' | 'channel' | 'language' | 'head' | 'updatedAt'>[]>();
    return documents.map((document) => ({
      key: keyOf(document),
      head: versionOf(document.head),
      updatedAt: document.updatedAt,
    }));
  }

  async head(key: TemplateKey): Promise<TemplateVersion | null> {
    const document = await this.model
      .findOne({ _id: templateIdOf(key) }, { head: 1 })
      .lean<Pick<TemplateRecord, 'head'>>();
    return document === null ? null : versionOf(document.head);
  }

  async append(change: NewVersion): Promise<StoredTemplate> {
    const version = versionDocument(change.version);
    const at = change.version.createdAt;
    if (change.expectedRevision === 0) {
      try {
        const created = await this.model.create({
          _id: templateIdOf(change.key),
          ...change.key,
          head: version,
          versions: [version],
          revision: 1,
          createdAt: at,
          updatedAt: at,
          ...insertWithEvents(change.events),
        });
        return storedOf(created.toObject<TemplateRecord>());
      } catch (error) {
        // Someone else saved the first version meanwhile.
        if (isDuplicateKey(error)) throw versionConflict();
        throw error;
      }
    }
    const updated = await this.model
      .findOneAndUpdate(
        { _id: templateIdOf(change.key), revision: change.expectedRevision },
        updateWithEvents<TemplateRecord>(
          {
            $set: { head: version, updatedAt: at },
            $push: { versions: version },
            $inc: { revision: 1 },
          },
          change.events,
        ),
        { new: true, runValidators: true },
      )
      .lean<TemplateRecord>();
    if (updated === null) throw versionConflict();
    return storedOf(updated);
  }
}
