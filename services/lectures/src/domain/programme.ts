/**
 * The rules of a session's public record: who may publish its materials and
 * recording, and when. Speakers publish their own slides, the forum's manager
 * and the office any; nobody adds to a cancelled session, and a recording
 * exists only once the session has begun.
 */
import { forbidden, invalid, precondition } from '@learning/domain';
import type { SessionStatus } from './sessions.js';

export const MATERIAL_FORBIDDEN = 'MATERIAL_FORBIDDEN';
export const MATERIAL_SESSION_CANCELLED = 'MATERIAL_SESSION_CANCELLED';
export const MATERIAL_LIMIT_REACHED = 'MATERIAL_LIMIT_REACHED';
export const RECORDING_URL_NOT_HTTPS = 'RECORDING_URL_NOT_HTTPS';
export const RECORDING_BEFORE_START = 'RECORDING_BEFORE_START';

/** Slides, hand-outs and their scans: documents, presentations and images. */
export const MATERIAL_TYPES: readonly string[] = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'image/jpeg',
  'image/png',
  'image/webp',
  'text/plain',
];

/** A lecture's hand-outs fit in a few dozen files; more is a mistake or abuse. */
export const MAX_MATERIALS_PER_SESSION = 50;

/** How the caller stands to a session, as the application found it out. */
export interface Publisher {
  /** The office (city admin). */
  readonly office: boolean;
  /** Named among the session's forum's managers. */
  readonly forumManager: boolean;
  /** An expert of the pool who speaks at the session. */
  readonly speaker: boolean;
}

/** Refuses anyone who is not the office, the forum's manager or a speaker of the session. */
export function assertMayPublish(publisher: Publisher): void {
  if (!publisher.office && !publisher.forumManager && !publisher.speaker)
    throw forbidden(
      MATERIAL_FORBIDDEN,
      'Only the office, the manager of the session’s forum and its speakers publish its materials.',
    );
}

/** Nothing is added to, or withdrawn from, a cancelled session's record. */
export function assertNotCancelled(status: SessionStatus): void {
  if (status === 'cancelled')
    throw precondition(MATERIAL_SESSION_CANCELLED, 'The session is cancelled.');
}

export function assertRoomForMaterial(count: number): void {
  if (count >= MAX_MATERIALS_PER_SESSION)
    throw precondition(
      MATERIAL_LIMIT_REACHED,
      `A session has at most ${MAX_MATERIALS_PER_SESSION} files; withdraw one first.`,
    );
}

/** The recording is watched from the public programme: only over HTTPS. */
export function validateRecordingUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(RECORDING_URL_NOT_HTTPS, 'The recording’s address is not a URL.');
  }
  if (parsed.protocol !== 'https:')
    throw invalid(RECORDING_URL_NOT_HTTPS, 'The recording’s address must start with https://.');
  return parsed.href;
}

/** A recording is of a session that has begun. */
export function assertStarted(startsAt: Date, now: Date): void {
  if (now.getTime() < startsAt.getTime())
    throw precondition(RECORDING_BEFORE_START, 'The session has not started yet.');
}
