/**
 * The seams between the slices: channels send, templates render, preferences
 * and contacts are read in bulk, and the dispatcher turns notice requests
 * into deliveries. Every slice that notifies (reactions, reminders,
 * announcements, webhooks' owner alerts) goes through `Dispatcher`.
 */
import type { Channel, NoticeKind, NoticeRequest, VariableValue } from '../domain/notices.js';
import type { Language, Preferences } from '../domain/preferences.js';

/** A rendered notice, ready for a channel. */
export interface Rendered {
  readonly title: string;
  readonly body: string;
  /** The template version used, for the delivery log. */
  readonly templateVersion: number;
}

export interface TemplateRenderer {
  /** The kind's current template for the channel and language (falling back to zh-CN), filled in. */
  render(
    kind: NoticeKind,
    channel: Channel,
    language: Language,
    variables: Readonly<Record<string, VariableValue>>,
  ): Promise<Rendered>;
}

/** One message to one address of an external channel. */
export interface OutboundMessage {
  /**
   * `<notice id>:<recipient>:<channel>`: the provider's idempotency key (an
   * SMS gateway's out-id), so a message re-sent after a crash is not sent twice.
   */
  readonly deliveryId: string;
  readonly recipient: string;
  /** The phone number, email address or openid. Personal data: never logged. */
  readonly address: string;
  readonly kind: NoticeKind;
  readonly language: Language;
  readonly rendered: Rendered;
}

export type SendOutcome =
  | { readonly deliveryId: string; readonly status: 'delivered'; readonly providerId: string }
  | {
      readonly deliveryId: string;
      readonly status: 'failed';
      /** GATEWAY_REJECTED (do not retry), GATEWAY_UNAVAILABLE, ADDRESS_INVALID, RATE_LIMITED. */
      readonly code: string;
      readonly retryable: boolean;
    };

/** An external channel's gateway (SMS, email, WeChat), behind its provider quota. */
export interface ChannelGateway {
  readonly channel: Exclude<Channel, 'inbox'>;
  /** Sends each message once; one outcome per message, in order. Never throws for a refused message. */
  send(messages: readonly OutboundMessage[]): Promise<SendOutcome[]>;
}

export interface PreferenceReader {
  /** Each person's preferences; defaults (the city's time zone, zh-CN, everything on) for those who set none. */
  of(recipients: readonly string[]): Promise<ReadonlyMap<string, Preferences>>;
}

export interface Dispatcher {
  /**
   * Decides each request's channels by the person's preferences and
   * consents, then sends, holds, digests or suppresses, recording one
   * delivery per (notice, recipient, channel): a request seen before changes
   * nothing.
   */
  dispatch(requests: readonly NoticeRequest[]): Promise<void>;
}

/** One entry of a person's inbox, personal or from a broadcast. */
export interface InboxEntry {
  /** The personal delivery's id, or the broadcast's id. */
  readonly id: string;
  readonly source: 'personal' | 'broadcast';
  readonly kind: NoticeKind;
  readonly title: string;
  readonly body: string;
  readonly urgent: boolean;
  /** When it entered the inbox; the inbox is newest first by this, then by id. */
  readonly at: Date;
}

/** Where an inbox page continues: strictly older than this entry. */
export interface InboxPosition {
  readonly at: Date;
  readonly id: string;
}

/** The broadcasts that reached a person's inbox (the broadcast slice implements it over its batches). */
export interface BroadcastInbox {
  /** Up to `limit` broadcast entries addressed to `recipient` (inbox channel), newest first, older than `before`. */
  page(
    recipient: string,
    options: {
      readonly before?: InboxPosition;
      readonly limit: number;
      readonly language: Language;
    },
  ): Promise<InboxEntry[]>;
}
