import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  attachmentTooLarge,
  contentLengthOf,
  downloadHeaders,
  PendingUpload,
  uploadBodyParser,
} from '../../src/index.js';

describe('uploads over HTTP', () => {
  it('when a Content-Length is a whole number, then it is the declared size; otherwise none is declared', () => {
    expect(contentLengthOf('1024')).toBe(1024);
    expect(contentLengthOf(undefined)).toBeUndefined();
    expect(contentLengthOf('12.5')).toBeUndefined();
    expect(contentLengthOf('lots')).toBeUndefined();
    expect(contentLengthOf(['1', '2'])).toBeUndefined();
  });

  it('when a body arrives, then it stays an unread stream of the bare media type, and only type and size are fingerprinted', async () => {
    const stream = Readable.from([Buffer.from('%PDF')]);
    const body = await uploadBodyParser(
      { headers: { 'content-type': 'application/pdf; charset=binary', 'content-length': '4' } },
      stream,
    );
    expect(body).toBeInstanceOf(PendingUpload);
    expect(body.contentType).toBe('application/pdf');
    expect(body.declaredBytes).toBe(4);
    expect(body.content).toBe(stream);
    expect(JSON.stringify(body)).toBe('{"contentType":"application/pdf","declaredBytes":4}');
  });

  it('when a file is downloaded, then its name is sent encoded, with its type, length and hash', () => {
    expect(
      downloadHeaders({
        fileRef: '0123456789abcdef01234567',
        fileName: '给爷爷的信 "1".pdf',
        contentType: 'application/pdf',
        sizeBytes: 42,
        sha256: 'ab'.repeat(32),
      }),
    ).toEqual({
      'content-type': 'application/pdf',
      'content-length': '42',
      'x-content-sha256': 'ab'.repeat(32),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('给爷爷的信 "1".pdf')}`,
    });
  });

  it('when a file is too large, then the refusal is a 413 with the caller’s code and the limit in MB or bytes', () => {
    expect(attachmentTooLarge('LECTURE_FILE_TOO_LARGE', 10 * 1024 * 1024)).toMatchObject({
      kind: 'payload_too_large',
      code: 'LECTURE_FILE_TOO_LARGE',
      message: 'An attached file has at most 10 MB.',
    });
    expect(attachmentTooLarge('X', 500).message).toBe('An attached file has at most 500 bytes.');
  });
});
