/** What every part of the notifications service is built on: the shared runtime, plus registration's answers. */
import type { RegistrationClients } from '@learning/registration-client';
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type { ChannelGateway, Dispatcher, PreferenceReader } from './application/ports.js';
import type { CachedTemplateRenderer } from './application/templates/ports.js';
import type { NotificationsConfig } from './config.js';

export interface Platform extends RuntimePlatform<NotificationsConfig> {
  /** Registration over gRPC: contacts, audiences, officers, organizations and their members. */
  readonly registration: Omit<RegistrationClients, 'close'>;
  /** Renders notices from the office's templates (or the built-ins); forgets a template on its save. */
  readonly templates: CachedTemplateRenderer;
  /** The external channels whose provider is configured (an unset URL leaves its channel out). */
  readonly gateways: ReadonlyMap<ChannelGateway['channel'], ChannelGateway>;
  /** People's preferences, read in bulk; defaults for those who set none. */
  readonly preferences: PreferenceReader;
  /** Every personal notice goes through it: one delivery per (notice, recipient, channel). */
  readonly dispatcher: Dispatcher;
}

export type Module = RuntimeModule<Platform>;
