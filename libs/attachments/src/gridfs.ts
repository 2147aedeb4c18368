/**
 * Attachments in MongoDB's GridFS, one bucket per kind of thing they attach
 * to. An upload is metered and hashed as it streams; past its limit it is
 * finished, deleted whole and refused, and the rest of the body is drained
 * so the refusal reaches the client.
 */
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mongo, type Connection } from 'mongoose';
import { attachmentTooLarge } from './limits.js';
import type { AttachmentStore, AttachmentUpload, StoredAttachment } from './ports.js';

/** `metadata` of a stored file; what it attaches to is under the bucket's `attachedToKey`. */
type AttachmentMetadata = Record<string, string | undefined>;

export interface GridFsAttachmentOptions {
  /** The GridFS bucket: `<bucket>.files` and `<bucket>.chunks`. */
  readonly bucket: string;
  /** The stable code of the 413 for a file over its upload's `maxBytes`. */
  readonly tooLargeCode: string;
  /**
   * The metadata key holding what a file attaches to (default `attachedTo`); a bucket that
   * stored files under another key (activities' `contestId`) keeps it, so its files stay found.
   */
  readonly attachedToKey?: string;
}

/** Files in GridFS: streamed in, hashed on the way, never held whole in memory. */
export class GridFsAttachmentStore implements AttachmentStore {
  constructor(
    private readonly connection: Connection,
    private readonly options: GridFsAttachmentOptions,
  ) {}

  private get attachedToKey(): string {
    return this.options.attachedToKey ?? 'attachedTo';
  }

  private bucket(): mongo.GridFSBucket {
    const db = this.connection.db;
    if (db === undefined) throw new Error('the Mongo connection is not open');
    return new mongo.GridFSBucket(db, { bucketName: this.options.bucket });
  }

  private files() {
    const db = this.connection.db;
    if (db === undefined) throw new Error('the Mongo connection is not open');
    return db.collection<mongo.GridFSFile>(`${this.options.bucket}.files`);
  }

  private toStored(file: mongo.GridFSFile): StoredAttachment | null {
    const metadata: Record<string, unknown> = file.metadata ?? {};
    const { [this.attachedToKey]: attachedTo, ownerId, sha256, contentType } = metadata;
    // A file still being written (no hash yet) or not one of ours is not an attachment.
    if (
      typeof attachedTo !== 'string' ||
      typeof ownerId !== 'string' ||
      typeof sha256 !== 'string' ||
      typeof contentType !== 'string'
    )
      return null;
    return {
      fileRef: file._id.toHexString(),
      fileName: file.filename,
      contentType,
      sizeBytes: file.length,
      sha256,
      attachedTo,
      ownerId,
    };
  }

  async save(content: Readable, upload: AttachmentUpload): Promise<StoredAttachment> {
    const metadata: AttachmentMetadata = {
      [this.attachedToKey]: upload.attachedTo,
      ownerId: upload.ownerId,
      contentType: upload.contentType,
    };
    const stream = this.bucket().openUploadStream(upload.fileName, { metadata });
    const hash = createHash('sha256');
    let size = 0;
    const limit = { exceeded: false };
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > upload.maxBytes) {
          // Ended, not failed: the file finishes cleanly, with every chunk written, and is then
          // deleted whole; aborting mid-write could race a chunk still on its way.
          if (!limit.exceeded) {
            limit.exceeded = true;
            content.unpipe(meter);
            meter.end();
          }
          done();
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    // pipe, not pipeline, from the request: a refusal must leave it open for the response.
    content.on('error', (error) => meter.destroy(error));
    content.pipe(meter);
    try {
      await pipeline(meter, stream);
    } catch (error) {
      content.unpipe(meter);
      await stream.abort().catch(() => undefined);
      throw error;
    }
    if (limit.exceeded) {
      // The rest of the oversize body is read and dropped, so the refusal reaches the client.
      content.resume();
      await this.bucket().delete(stream.id);
      throw attachmentTooLarge(this.options.tooLargeCode, upload.maxBytes);
    }
    const sha256 = hash.digest('hex');
    const same = await this.files().findOne({
      [`metadata.${this.attachedToKey}`]: upload.attachedTo,
      'metadata.ownerId': upload.ownerId,
      'metadata.sha256': sha256,
    });
    if (same !== null) {
      // A retried upload: the first copy stands.
      await this.bucket().delete(stream.id);
      const stored = this.toStored(same);
      if (stored !== null) return stored;
    }
    await this.files().updateOne({ _id: stream.id }, { $set: { 'metadata.sha256': sha256 } });
    return {
      fileRef: stream.id.toHexString(),
      fileName: upload.fileName,
      contentType: upload.contentType,
      sizeBytes: size,
      sha256,
      attachedTo: upload.attachedTo,
      ownerId: upload.ownerId,
    };
  }

  async find(fileRef: string): Promise<StoredAttachment | null> {
    if (!mongo.ObjectId.isValid(fileRef) || !/^[0-9a-f]{24}$/.test(fileRef)) return null;
    const file = await this.files().findOne({ _id: new mongo.ObjectId(fileRef) });
    return file === null ? null : this.toStored(file);
  }

  open(fileRef: string): Readable {
    return this.bucket().openDownloadStream(new mongo.ObjectId(fileRef));
  }
}
