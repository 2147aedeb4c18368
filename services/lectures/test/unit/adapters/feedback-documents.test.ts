import { schemaViolations } from '@learning/mongo';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { attendanceModel } from '../../../src/adapters/mongo/attendance.js';
import { attendanceDocumentOf } from '../../../src/adapters/mongo/attendance-store.js';
import { feedbackModel, type FeedbackDocument } from '../../../src/adapters/mongo/feedback.js';
import { feedbackDocumentOf } from '../../../src/adapters/mongo/feedback-store.js';

// Models compile and validate without a server: nothing here is written.
const connection = mongoose.createConnection();
const at = new Date('2026-04-10T12:00:00Z');

describe('the documents the attendance and feedback stores write', () => {
  it('when an attendance record is built for the driver write, then the schema takes it', () => {
    const doc = attendanceDocumentOf({
      enrollmentId: 'en-1',
      sessionId: 's-1',
      participantId: 'p-1',
      accountSubject: 'ann',
      attendedAt: at,
      townshipCode: '330281001000',
      recordedAt: at,
    });

    expect(schemaViolations(attendanceModel(connection), doc)).toBeUndefined();
    expect(doc._id).toBe('en-1');
  });

  it('when feedback is built, then the schema takes it, and a rating out of range is refused by it too', () => {
    const doc = {
      ...feedbackDocumentOf({
        id: 'fb-1',
        sessionId: 's-1',
        forumId: 'f-1',
        speakerIds: ['e-1'],
        jurisdictionPath: ['330281000000', '330281001000'],
        accountSubject: 'ann',
        participantId: 'p-1',
        rating: 4,
        comment: '好',
        flagged: false,
        commentStatus: 'published',
        submittedAt: at,
        events: [],
      }),
      version: 1,
    } satisfies FeedbackDocument;
    const model = feedbackModel(connection);

    expect(schemaViolations(model, doc)).toBeUndefined();
    expect(schemaViolations(model, { ...doc, rating: 6 })).toEqual(['rating']);
  });
});
