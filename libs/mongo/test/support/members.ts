/** A small scoped entity for the tests: a member of a learning organization. */
import type { Logger } from '@learning/logger';
import { Schema, type Connection, type Model } from 'mongoose';
import { ScopedRepository, scopedFields, type ScopedDocument } from '../../src/index.js';

export interface Member extends ScopedDocument {
  name: string;
  /** Personal data: unique, and never to be echoed in an error. */
  phone: string;
  joinedAt: Date;
}

const memberFields = {
  ...scopedFields,
  name: { type: String, required: true },
  phone: { type: String, required: true, unique: true },
  joinedAt: { type: Date, required: true },
};

// The repository keeps its own `version`; mongoose's __v would be a second one.
export const memberSchema = new Schema<Member>(memberFields, { versionKey: false });

export function memberModel(connection: Connection): Model<Member> {
  return connection.model<Member>('Member', memberSchema, 'members');
}

export class MemberRepository extends ScopedRepository<Member> {
  constructor(model: Model<Member>, logger: Logger) {
    super(model, { entity: 'MEMBER', logger });
  }
}
