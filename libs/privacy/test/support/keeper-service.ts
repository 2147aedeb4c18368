/**
 * The smallest service holding personal data: notes a person wrote, declared
 * to the kit as one kind, with a retention rule and an obligation (a note
 * marked `pending` is something erasure would cut short).
 */
import { consumerGroups, topics } from '@learning/events';
import {
  loadServiceConfig,
  serviceEnv,
  type Platform,
  type ServiceDefinition,
} from '@learning/runtime';
import { Type } from '@sinclair/typebox';
import { Schema, type Connection, type Model } from 'mongoose';
import { personalDataModule, privacyEnv } from '../../src/index.js';

export interface NoteDocument {
  _id: string;
  participantId: string | null;
  text: string;
  pending: boolean;
  writtenAt: Date;
}

const noteSchema = new Schema<NoteDocument>(
  {
    _id: { type: String, required: true },
    participantId: { type: String, default: null, index: true },
    text: { type: String, required: true },
    pending: { type: Boolean, default: false },
    writtenAt: { type: Date, required: true },
  },
  { collection: 'notes', versionKey: false },
);

export const noteModel = (connection: Connection): Model<NoteDocument> =>
  (connection.models['Note'] as Model<NoteDocument> | undefined) ??
  connection.model<NoteDocument>('Note', noteSchema);

export const NOTE_RETENTION_DAYS = 30;

export type KeeperConfig = ReturnType<typeof loadKeeperConfig>;

export function loadKeeperConfig(environment: Readonly<Record<string, string | undefined>>) {
  return loadServiceConfig(Type.Object({ ...serviceEnv, ...privacyEnv }), environment);
}

/** Kinds erased so far, by participant: a redelivered request must not erase again. */
export const eraseCalls: string[] = [];

export const keeperService: ServiceDefinition<KeeperConfig, Platform<KeeperConfig>> = {
  name: 'keeper',
  version: '0.0.0',
  eventSource: '/learning/keeper',
  audit: { topic: topics.lecturesAudit, group: consumerGroups.lecturesAudit },
  openapi: { title: 'Keeper', description: 'Keeps notes people wrote.' },
  extend: (platform) => platform,
  modules: [
    personalDataModule<Platform<KeeperConfig>>(
      { service: 'lectures', erasureGroup: consumerGroups.lecturesErasure },
      (platform) => {
        const notes = noteModel(platform.mongo);
        return {
          kinds: [
            {
              kind: 'notes',
              title: { zhCn: '留言', en: 'Notes' },
              purpose: { zhCn: '回复您的留言', en: 'To answer your notes' },
              retention: { zhCn: '30 天', en: '30 days' },
              export: async (participantId) =>
                (await notes.find({ participantId }).sort({ writtenAt: 1 }).lean()).map(
                  ({ _id, text, writtenAt }) => ({ id: _id, text, writtenAt }),
                ),
              async erase(participantId) {
                eraseCalls.push(participantId);
                // Notes stay for the yearly figures, with nothing left of who wrote what.
                const { modifiedCount } = await notes.updateMany(
                  { participantId },
                  { $set: { participantId: null, text: '' } },
                );
                return {
                  erased: 0,
                  kept: { count: modifiedCount, reason: 'counted in the yearly figures' },
                };
              },
            },
          ],
          retention: [
            {
              kind: 'notes',
              keepDays: NOTE_RETENTION_DAYS,
              sweep: async (cutoff) =>
                (await notes.deleteMany({ writtenAt: { $lt: cutoff } })).deletedCount,
            },
          ],
          obligations: [
            async (participantId) =>
              (await notes.exists({ participantId, pending: true })) === null
                ? []
                : [
                    {
                      code: 'NOTE_PENDING',
                      explanation: {
                        zhCn: '您有一条留言待回复',
                        en: 'A note of yours awaits an answer',
                      },
                    },
                  ],
          ],
        };
      },
    ),
  ],
};
