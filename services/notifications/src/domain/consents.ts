/**
 * A person's consent to be sent notices on one external channel (PIPL art.
 * 14), as registration records it: given or withdrawn, with the version of
 * the consent text. Registration's events may arrive reordered; the record's
 * version (registration's participant version after the change) orders them.
 */
import type { ExternalChannel } from './broadcasts.js';

export interface ChannelConsent {
  readonly given: boolean;
  /** Registration's participant version after the change: a higher one is newer. */
  readonly version: number;
  /** The consent text agreed to or withdrawn from, e.g. "2026-12". */
  readonly textVersion: string;
  readonly changedAt: Date;
}

export interface ConsentChange extends ChannelConsent {
  readonly participantId: string;
  readonly channel: ExternalChannel;
}
