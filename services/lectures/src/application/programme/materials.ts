/**
 * A session's public record: its materials (files in the attachment store,
 * listed in the session) and its recording. The office, the forum's manager
 * and the session's speakers publish them; each change is one conditional
 * write of the session with its `MaterialsPublished` and audit record, retried
 * on a concurrent change so two uploads at once both land.
 */
import type { Readable } from 'node:stream';
import { attachmentTooLarge, type StoredAttachment } from '@learning/attachments';
import { actorOf, type AuditTrail } from '@learning/audit';
import { hasRole, type Principal } from '@learning/auth';
import { domainCall } from '@learning/domain';
import { isAppError } from '@learning/errors';
import {
  assertMayPublish,
  assertNotCancelled,
  assertRoomForMaterial,
  assertStarted,
  validateRecordingUrl,
  type Publisher,
} from '../../domain/programme.js';
import { isForumOffice, managesForum } from '../catalogue/forum-access.js';
import { MATERIAL_TOO_LARGE, materialNotFound, sessionNotFound } from './errors.js';
import { materialsPublishedOf, recordAuditViewOf, type RecordChangeOf } from './events.js';
import type {
  Material,
  MaterialFiles,
  ProgrammeDirectory,
  ProgrammeRepository,
  ProgrammeSession,
  Recording,
  RecordChange,
} from './ports.js';

export interface MaterialsDeps {
  readonly sessions: ProgrammeRepository;
  readonly directory: ProgrammeDirectory;
  readonly files: MaterialFiles;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  /** The largest file accepted, in bytes. */
  readonly maxBytes: number;
}

export interface MaterialUpload {
  readonly fileName: string;
  /** One of MATERIAL_TYPES: the route takes no other. */
  readonly contentType: string;
  readonly content: Readable;
  /** The Content-Length, when the client sent one. */
  readonly declaredBytes?: number;
}

export interface RecordingRequest {
  readonly url: string;
  readonly durationSeconds?: number | null;
}

export interface OpenedMaterial {
  readonly material: Material;
  readonly file: StoredAttachment;
  readonly content: Readable;
}

/** Concurrent changes to one session are few (its speakers, its manager): a few rereads settle them. */
const ATTEMPTS = 5;

async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= ATTEMPTS || !isAppError(error) || error.code !== 'VERSION_CONFLICT') throw error;
    }
  }
}

export function sessionMaterials(deps: MaterialsDeps) {
  async function find(id: string): Promise<ProgrammeSession> {
    const session = await deps.sessions.get(id);
    if (session === null) throw sessionNotFound();
    return session;
  }

  async function publisherOf(principal: Principal, session: ProgrammeSession): Promise<Publisher> {
    const [forums, expertId] = await Promise.all([
      deps.directory.forums([session.forumId]),
      hasRole(principal, 'expert') ? deps.directory.expertIdOf(principal.subject) : null,
    ]);
    // The programme reads no series owner, so the forum's office is the city admins alone.
    const forum = { managerSubjects: forums.get(session.forumId)?.managerSubjects ?? [] };
    return {
      office: isForumOffice(principal, forum),
      forumManager: managesForum(principal, forum),
      speaker: expertId !== null && session.speakerIds.includes(expertId),
    };
  }

  async function assertPublisher(principal: Principal, session: ProgrammeSession): Promise<void> {
    const publisher = await publisherOf(principal, session);
    domainCall(() => {
      assertMayPublish(publisher);
    });
  }

  /** Writes one change of `current`'s record with its event and audit record. */
  function write(
    principal: Principal,
    current: ProgrammeSession,
    after: ProgrammeSession,
    change: RecordChangeOf,
    fields: Pick<RecordChange, 'addMaterial' | 'removeFileId' | 'recording'>,
  ): Promise<ProgrammeSession> {
    const now = deps.clock();
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: `session.${change.kind}`,
      entityType: 'session',
      entityId: current.id,
      jurisdictionPath: current.jurisdictionPath,
      before: recordAuditViewOf(current),
      after: recordAuditViewOf(after),
    });
    return deps.sessions.changeRecord({
      id: current.id,
      expectedVersion: current.version,
      updatedAt: now,
      ...fields,
      events: [materialsPublishedOf(after, change, now), audit],
    });
  }

  return {
    /** Stores the file, then lists it in the session; the same bytes again give the first file back. */
    async upload(
      principal: Principal,
      sessionId: string,
      upload: MaterialUpload,
    ): Promise<Material> {
      if (upload.declaredBytes !== undefined && upload.declaredBytes > deps.maxBytes)
        throw attachmentTooLarge(MATERIAL_TOO_LARGE, deps.maxBytes);
      const session = await find(sessionId);
      await assertPublisher(principal, session);
      domainCall(() => {
        assertNotCancelled(session.status);
        assertRoomForMaterial(session.materials.length);
      });
      const file = await deps.files.save(upload.content, {
        attachedTo: session.id,
        ownerId: principal.subject,
        fileName: upload.fileName,
        contentType: upload.contentType,
        maxBytes: deps.maxBytes,
      });
      try {
        return await retryOnConflict(async () => {
          const current = await find(sessionId);
          const listed = current.materials.find((material) => material.fileId === file.fileRef);
          // A retried upload: the file is listed already, and was announced then.
          if (listed !== undefined) return listed;
          domainCall(() => {
            assertNotCancelled(current.status);
            assertRoomForMaterial(current.materials.length);
          });
          const material: Material = {
            fileId: file.fileRef,
            name: file.fileName,
            contentType: file.contentType,
            size: file.sizeBytes,
            publishedAt: deps.clock(),
          };
          await write(
            principal,
            current,
            { ...current, materials: [...current.materials, material] },
            { kind: 'material_added', material },
            { addMaterial: material },
          );
          return material;
        });
      } catch (error) {
        // Refused after all: a file no session lists is not kept.
        const listed = (await deps.sessions.get(sessionId))?.materials.some(
          (material) => material.fileId === file.fileRef,
        );
        if (listed !== true) await deps.files.remove(file.fileRef);
        throw error;
      }
    },

    /** Takes a file off the session's record and deletes it. */
    async withdraw(principal: Principal, sessionId: string, fileId: string): Promise<void> {
      await assertPublisher(principal, await find(sessionId));
      await retryOnConflict(async () => {
        const current = await find(sessionId);
        domainCall(() => {
          assertNotCancelled(current.status);
        });
        if (!current.materials.some((material) => material.fileId === fileId))
          throw materialNotFound();
        await write(
          principal,
          current,
          {
            ...current,
            materials: current.materials.filter((material) => material.fileId !== fileId),
          },
          { kind: 'material_withdrawn', fileId },
          { removeFileId: fileId },
        );
      });
      await deps.files.remove(fileId);
    },

    /**
     * A file of a scheduled or held session, for anyone; of a cancelled one,
     * only for those who may publish there.
     */
    async open(
      principal: Principal | undefined,
      sessionId: string,
      fileId: string,
    ): Promise<OpenedMaterial> {
      const session = await find(sessionId);
      const material = session.materials.find((candidate) => candidate.fileId === fileId);
      if (material === undefined) throw materialNotFound();
      if (session.status === 'cancelled') {
        const publisher: Publisher =
          principal === undefined
            ? { office: false, forumManager: false, speaker: false }
            : await publisherOf(principal, session);
        domainCall(() => {
          assertMayPublish(publisher);
        });
      }
      const file = await deps.files.find(fileId);
      if (file === null || file.attachedTo !== session.id) throw materialNotFound();
      return { material, file, content: deps.files.open(fileId) };
    },

    /** Sets (or replaces) the recording of a session that has started; the same recording again changes nothing. */
    async setRecording(
      principal: Principal,
      sessionId: string,
      request: RecordingRequest,
    ): Promise<Recording> {
      const url = domainCall(() => validateRecordingUrl(request.url));
      const durationSeconds = request.durationSeconds ?? null;
      await assertPublisher(principal, await find(sessionId));
      return retryOnConflict(async () => {
        const current = await find(sessionId);
        const now = deps.clock();
        domainCall(() => {
          assertNotCancelled(current.status);
          assertStarted(current.startsAt, now);
        });
        if (current.recording?.url === url && current.recording.durationSeconds === durationSeconds)
          return current.recording;
        const recording: Recording = { url, durationSeconds, addedAt: now };
        await write(
          principal,
          current,
          { ...current, recording },
          { kind: 'recording_set', recording },
          { recording },
        );
        return recording;
      });
    },
  };
}

export type SessionMaterials = ReturnType<typeof sessionMaterials>;
