/** The forums and experts the programme names: forum names and managers, speakers' public names. */
import type { Model } from 'mongoose';
import type {
  ForumFacts,
  ProgrammeDirectory,
  SpeakerFacts,
} from '../../application/programme/ports.js';
import type { ForumDocument } from './catalogue.js';
import type { ExpertDocument } from './experts.js';

export class MongoProgrammeDirectory implements ProgrammeDirectory {
  constructor(
    private readonly forumsModel: Model<ForumDocument>,
    private readonly expertsModel: Model<ExpertDocument>,
  ) {}

  async forums(ids: readonly string[]): Promise<ReadonlyMap<string, ForumFacts>> {
    if (ids.length === 0) return new Map();
    const docs = await this.forumsModel
      .find({ _id: { $in: [...ids] } }, { name: 1, managerSubjects: 1 })
      .lean<Pick<ForumDocument, '_id' | 'name' | 'managerSubjects'>[]>();
    return new Map(
      docs.map((doc) => [
        doc._id,
        { id: doc._id, name: doc.name, managerSubjects: doc.managerSubjects },
      ]),
    );
  }

  async speakers(ids: readonly string[]): Promise<ReadonlyMap<string, SpeakerFacts>> {
    if (ids.length === 0) return new Map();
    // Only the public fields: contact data is never read here.
    const docs = await this.expertsModel
      .find({ _id: { $in: [...ids] } }, { displayName: 1, title: 1 })
      .lean<Pick<ExpertDocument, '_id' | 'displayName' | 'title'>[]>();
    return new Map(
      docs.map((doc) => [doc._id, { id: doc._id, displayName: doc.displayName, title: doc.title }]),
    );
  }

  async expertIdOf(subject: string): Promise<string | null> {
    const doc = await this.expertsModel
      .findOne({ accountSubject: subject }, { _id: 1 })
      .lean<Pick<ExpertDocument, '_id'>>();
    return doc?._id ?? null;
  }
}
