/**
 * What others see of a change to a session's record: `MaterialsPublished`
 * with the session's summary filled from the session as it is, and the audit
 * log's view (materials and recording only: the rest is not this slice's).
 */
import { lectureEvents } from '@learning/contracts';
import { newEvent, type OutboxEntry } from '@learning/events';
import { sessionSummaryOf } from '../session-summary.js';
import type { Material, ProgrammeSession, Recording } from './ports.js';

export type RecordChangeOf =
  | { readonly kind: 'material_added'; readonly material: Material }
  | { readonly kind: 'material_withdrawn'; readonly fileId: string }
  | { readonly kind: 'recording_set'; readonly recording: Recording };

/** `MaterialsPublished` for one change, described from the session as it will be after it. */
export function materialsPublishedOf(
  after: ProgrammeSession,
  change: RecordChangeOf,
  at: Date,
): OutboxEntry {
  return newEvent(lectureEvents.MaterialsPublished, after.id, {
    session: sessionSummaryOf(after),
    materials:
      change.kind === 'material_added'
        ? [
            {
              fileId: change.material.fileId,
              name: change.material.name,
              contentType: change.material.contentType,
              size: String(change.material.size),
            },
          ]
        : [],
    recordingUrl: change.kind === 'recording_set' ? change.recording.url : '',
    publishedAt: at,
    removedFileIds: change.kind === 'material_withdrawn' ? [change.fileId] : [],
    recordingDurationSeconds:
      change.kind === 'recording_set' ? (change.recording.durationSeconds ?? undefined) : undefined,
  });
}

/** What the audit log keeps of a session's record: files and the recording, no personal data. */
export const recordAuditViewOf = (session: Pick<ProgrammeSession, 'materials' | 'recording'>) => ({
  materials: session.materials.map((material) => ({
    fileId: material.fileId,
    name: material.name,
    contentType: material.contentType,
    size: material.size,
  })),
  recording: session.recording === null ? null : { ...session.recording },
});
