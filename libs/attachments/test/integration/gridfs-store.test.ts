import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describeWithServers, rejectionOf, uniqueName } from '@learning/testing';
import { createConnection, type Connection } from 'mongoose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GridFsAttachmentStore } from '../../src/index.js';

const BUCKET = 'contestAttachments';

const upload = (ownerId: string, maxBytes = 1024) => ({
  attachedTo: 'contest-1',
  ownerId,
  fileName: '信.pdf',
  contentType: 'application/pdf',
  maxBytes,
});

const read = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describeWithServers(['mongo'], 'attachments in GridFS', (servers) => {
  let connection: Connection;
  let store: GridFsAttachmentStore;

  beforeAll(async () => {
    connection = await createConnection(servers.mongo.uri, {
      dbName: uniqueName('attachments'),
    }).asPromise();
    store = new GridFsAttachmentStore(connection, {
      bucket: BUCKET,
      tooLargeCode: 'CONTEST_ATTACHMENT_TOO_LARGE',
    });
  });
  afterAll(async () => {
    await connection.close();
  });

  const storedCount = async (ownerId: string) => ({
    files: await connection.collection(`${BUCKET}.files`).countDocuments({
      'metadata.ownerId': ownerId,
    }),
    chunks: await connection.collection(`${BUCKET}.chunks`).countDocuments({}),
  });

  it('when a file is saved, then it reads back byte for byte with its hash, and the same bytes again give the same file', async () => {
    const bytes = Buffer.from('%PDF-1.4 亲爱的爷爷');
    const saved = await store.save(Readable.from([bytes]), upload('pupil-1'));
    expect(saved).toMatchObject({
      attachedTo: 'contest-1',
      ownerId: 'pupil-1',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(await store.find(saved.fileRef)).toEqual(saved);
    expect(await read(store.open(saved.fileRef))).toEqual(bytes);

    const again = await store.save(Readable.from([bytes]), upload('pupil-1'));
    expect(again.fileRef).toBe(saved.fileRef);
    expect((await storedCount('pupil-1')).files).toBe(1);
  });

  it('when a file grows past the limit, then it is refused and nothing of it is kept', async () => {
    const before = await storedCount('pupil-2');
    // Past GridFS's 255 KiB chunk, so a chunk is written before the limit is crossed.
    const chunks = [1, 2, 3].map((fill) => Buffer.alloc(200 * 1024, fill));
    const limited = upload('pupil-2', 500 * 1024);
    expect(await rejectionOf(store.save(Readable.from(chunks), limited))).toMatchObject({
      code: 'CONTEST_ATTACHMENT_TOO_LARGE',
    });
    expect(await storedCount('pupil-2')).toEqual(before);
  });

  it('when a reference is malformed or unknown, then nothing is found', async () => {
    expect(await store.find('not-a-reference')).toBeNull();
    expect(await store.find('0123456789abcdef01234567')).toBeNull();
  });

  it('when a bucket keeps files under its own key, then they are stored and found by it', async () => {
    const keyed = new GridFsAttachmentStore(connection, {
      bucket: BUCKET,
      tooLargeCode: 'CONTEST_ATTACHMENT_TOO_LARGE',
      attachedToKey: 'contestId',
    });
    const saved = await keyed.save(Readable.from([Buffer.from('信')]), upload('pupil-3'));
    const file = await connection
      .collection(`${BUCKET}.files`)
      .findOne({ 'metadata.ownerId': 'pupil-3' });
    expect(file?.['metadata']).toMatchObject({ contestId: 'contest-1' });
    expect(file?.['metadata']).not.toHaveProperty('attachedTo');
    expect(await keyed.find(saved.fileRef)).toEqual(saved);
    // A store reading the default key does not mistake it for an attachment of its own.
    expect(await store.find(saved.fileRef)).toBeNull();
  });
});
