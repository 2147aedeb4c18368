/** Forums' managers and experts' ids, as the feedback slice reads them from the catalogue. */
import type { Model } from 'mongoose';
import type {
  ExpertDirectory,
  ForumDirectory,
  ForumManagers,
} from '../../application/feedback/ports.js';
import type { ForumDocument } from './catalogue.js';
import type { ExpertDocument } from './experts.js';

export class MongoForumManagers implements ForumDirectory {
  constructor(private readonly model: Model<ForumDocument>) {}

  async get(id: string): Promise<ForumManagers | null> {
    const doc = await this.model
      .findOne({ _id: id }, { managerSubjects: 1 })
      .lean<Pick<ForumDocument, '_id' | 'managerSubjects'>>();
    return doc === null ? null : { id: doc._id, managerSubjects: doc.managerSubjects };
  }
}

export class MongoExpertIds implements ExpertDirectory {
  constructor(private readonly model: Model<ExpertDocument>) {}

  async exists(id: string): Promise<boolean> {
    return (await this.model.exists({ _id: id })) !== null;
  }

  async idOfAccount(accountSubject: string): Promise<string | null> {
    const doc = await this.model
      .findOne({ accountSubject }, { _id: 1 })
      .lean<Pick<ExpertDocument, '_id'>>();
    return doc?._id ?? null;
  }
}
