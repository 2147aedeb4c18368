/**
 * The HTTP side of an upload: the raw file as the request body, streamed to
 * the store, never buffered whole; and the file's description and download
 * headers in responses.
 */
import type { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { AttachmentRef } from './ports.js';

/**
 * An upload's body as the route receives it: the request stream, not yet
 * read. Only its declared type and length are fingerprinted for
 * Idempotency-Key; the stream is kept private so nothing walks into it.
 */
export class PendingUpload {
  readonly #content: Readable;

  constructor(
    content: Readable,
    readonly contentType: string,
    readonly declaredBytes: number | undefined,
  ) {
    this.#content = content;
  }

  get content(): Readable {
    return this.#content;
  }

  toJSON() {
    return { contentType: this.contentType, declaredBytes: this.declaredBytes ?? null };
  }
}

/** A Content-Length header as a byte count; undefined when absent or not a whole number. */
export const contentLengthOf = (header: string | string[] | undefined): number | undefined => {
  const bytes = typeof header === 'string' ? Number(header) : Number.NaN;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
};

/**
 * The content-type parser of the accepted file types (fastify's
 * `addContentTypeParser(types, uploadBodyParser)`, in the upload route's own
 * plugin): the body becomes a PendingUpload of the bare media type.
 */
export const uploadBodyParser = async (
  request: { headers: Record<string, string | string[] | undefined> },
  payload: Readable,
): Promise<PendingUpload> => {
  const type =
    String(request.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim() ?? '';
  return new PendingUpload(payload, type, contentLengthOf(request.headers['content-length']));
};

/** The query naming the uploaded file: no path separators or control characters. */
export const FileNameQuery = Type.Object(
  {
    fileName: Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[^/\\\\\\x00-\\x1f]+$',
      description: 'The file’s name as the uploader knows it.',
    }),
  },
  { additionalProperties: false },
);

/** A stored file in a response. */
export const AttachmentView = Type.Object({
  fileRef: Type.String(),
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
});

export const attachmentView = (attachment: AttachmentRef) => ({
  fileRef: attachment.fileRef,
  fileName: attachment.fileName,
  contentType: attachment.contentType,
  sizeBytes: attachment.sizeBytes,
  sha256: attachment.sha256,
});

/** The headers of a download: type, length, the hash to check it by, and the name (RFC 6266, UTF-8). */
export const downloadHeaders = (attachment: AttachmentRef): Record<string, string> => ({
  'content-type': attachment.contentType,
  'content-length': String(attachment.sizeBytes),
  'x-content-sha256': attachment.sha256,
  'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
});
