/** What a stored file is and what keeps them: the application layer depends on these, not on GridFS. */
import type { Readable } from 'node:stream';

/** A stored file as the record it is attached to keeps it; the bytes stay in the store. */
export interface AttachmentRef {
  readonly fileRef: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  /** Hex SHA-256 of the bytes, so a reader can tell the file is the one uploaded. */
  readonly sha256: string;
}

export interface StoredAttachment extends AttachmentRef {
  /** The id of what the file was uploaded for (a contest, a lecture). */
  readonly attachedTo: string;
  /** The subject of the person who uploaded it. */
  readonly ownerId: string;
}

export interface AttachmentUpload {
  readonly attachedTo: string;
  readonly ownerId: string;
  readonly fileName: string;
  readonly contentType: string;
  /** Uploads longer than this fail with the store's too-large code (413), and nothing is kept. */
  readonly maxBytes: number;
}

export interface AttachmentStore {
  /** Stores the bytes; the same owner uploading the same bytes for the same thing again gets the first file back. */
  save(content: Readable, upload: AttachmentUpload): Promise<StoredAttachment>;
  /** Null for an unknown or malformed reference. */
  find(fileRef: string): Promise<StoredAttachment | null>;
  open(fileRef: string): Readable;
}
