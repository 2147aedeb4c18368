/**
 * What the library reads of other slices' documents: a session's recording
 * and forum, and a forum's managers. Read-only; the sessions and catalogue
 * slices own the documents.
 */
import type { Model } from 'mongoose';
import type {
  ForumManagers,
  SessionFacts,
  SessionReader,
} from '../../application/library/ports.js';
import type { ForumDocument } from './catalogue.js';
import type { SessionDocument } from './sessions.js';

export class MongoSessionReader implements SessionReader {
  constructor(private readonly sessions: Model<SessionDocument>) {}

  async get(id: string): Promise<SessionFacts | null> {
    const doc = await this.sessions
      .findById(id, { forumId: 1, leadDepartment: 1, recording: 1 })
      .lean<Pick<SessionDocument, '_id' | 'forumId' | 'leadDepartment' | 'recording'>>();
    if (doc === null) return null;
    return {
      id: doc._id,
      forumId: doc.forumId,
      leadDepartment: doc.leadDepartment,
      recording:
        doc.recording == null
          ? null
          : { url: doc.recording.url, durationSeconds: doc.recording.durationSeconds ?? null },
    };
  }
}

export class MongoForumManagers implements ForumManagers {
  constructor(private readonly forums: Model<ForumDocument>) {}

  async manages(forumId: string, subject: string): Promise<boolean> {
    return (await this.forums.exists({ _id: forumId, managerSubjects: subject })) !== null;
  }

  async forumsOf(subject: string): Promise<string[]> {
    const docs = await this.forums
      .find({ managerSubjects: subject }, { _id: 1 })
      .lean<Pick<ForumDocument, '_id'>[]>();
    return docs.map((doc) => doc._id);
  }
}
