/**
 * Sessions' material files in GridFS: the shared attachment store, plus
 * deleting a withdrawn file (the shared store keeps files for good).
 */
import { GridFsAttachmentStore } from '@learning/attachments';
import type { Logger } from '@learning/logger';
import { mongo, type Connection } from 'mongoose';
import type { MaterialFiles } from '../../application/programme/ports.js';
import { MATERIAL_TOO_LARGE } from '../../application/programme/errors.js';

/** The GridFS bucket of sessions' material files (`<bucket>.files`, `<bucket>.chunks`). */
export const MATERIALS_BUCKET = 'sessionMaterials';
const BUCKET = MATERIALS_BUCKET;

export class GridFsMaterialFiles extends GridFsAttachmentStore implements MaterialFiles {
  readonly #connection: Connection;
  readonly #logger: Logger;

  constructor(connection: Connection, logger: Logger) {
    super(connection, {
      bucket: BUCKET,
      tooLargeCode: MATERIAL_TOO_LARGE,
      attachedToKey: 'sessionId',
    });
    this.#connection = connection;
    this.#logger = logger;
  }

  async remove(fileRef: string): Promise<void> {
    const db = this.#connection.db;
    if (db === undefined || !/^[0-9a-f]{24}$/.test(fileRef)) return;
    try {
      await new mongo.GridFSBucket(db, { bucketName: BUCKET }).delete(new mongo.ObjectId(fileRef));
    } catch (error) {
      // Already gone, or the database failed: the session no longer lists it either way.
      this.#logger.warn({ err: error, fileRef }, 'withdrawn material file not deleted');
    }
  }
}
