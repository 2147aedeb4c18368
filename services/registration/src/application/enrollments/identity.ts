/** Enrollment ids: one per person and event, so a repeated sign-up finds the first by its key. */
import { createHash } from 'node:crypto';

/** Opaque, URL-safe, 22 characters (132 bits of SHA-256), derived from event and participant. */
export const enrollmentIdOf = (eventKey: string, participantId: string): string =>
  createHash('sha256')
    .update(eventKey)
    .update('\0')
    .update(participantId)
    .digest('base64url')
    .slice(0, 22);
