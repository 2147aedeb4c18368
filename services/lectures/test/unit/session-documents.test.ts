import { schemaViolations } from '@learning/mongo';
import { createConnection } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { forumModel, seriesModel } from '../../src/adapters/mongo/catalogue.js';
import { expertModel } from '../../src/adapters/mongo/experts.js';
import { sessionModel } from '../../src/adapters/mongo/sessions.js';
import {
  expertDocument,
  forumDocument,
  seriesDocument,
  sessionDocument,
} from '../support/session-documents.js';

// Validation needs the models only, not a server: the connection is never opened.
const connection = createConnection();

describe('the test-support document builders', () => {
  afterAll(async () => {
    await connection.close();
  });

  it('when a session, series, forum or expert is built, then its collection’s schema accepts it', () => {
    expect(schemaViolations(seriesModel(connection), seriesDocument())).toBeUndefined();
    expect(schemaViolations(sessionModel(connection), sessionDocument())).toBeUndefined();
    expect(schemaViolations(forumModel(connection), forumDocument())).toBeUndefined();
    expect(schemaViolations(expertModel(connection), expertDocument())).toBeUndefined();
  });

  it('when a cancelled, held session with materials and a recording is built, then the schema accepts it', () => {
    const at = new Date('2026-03-01T02:00:00Z');
    const session = sessionDocument({
      status: 'held',
      heldAt: at,
      attendanceCount: 42,
      materials: [
        {
          fileId: 'a'.repeat(24),
          name: '讲义.pdf',
          contentType: 'application/pdf',
          size: 3,
          publishedAt: at,
        },
      ],
      recording: { url: 'https://video.example/1', durationSeconds: 3600, addedAt: at },
      cancellation: { reason: '讲师因故缺席', cancelledBy: 'city-admin', cancelledAt: at },
    });
    expect(schemaViolations(sessionModel(connection), session)).toBeUndefined();
  });

  it('when a session breaks the schema, then the check names the field, so the check can fail', () => {
    expect(
      schemaViolations(
        sessionModel(connection),
        sessionDocument({ status: 'postponed' as never, jurisdictionPath: [] }),
      ),
    ).toEqual(['jurisdictionPath', 'status']);
  });
});
