/** What every part of the notifications service is built on: the shared runtime, plus registration's answers. */
import type { RegistrationClients } from '@learning/registration-client';
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type { CachedTemplateRenderer } from './application/templates/ports.js';
import type { NotificationsConfig } from './config.js';

export interface Platform extends RuntimePlatform<NotificationsConfig> {
  /** Registration over gRPC: contacts, audiences, officers, organizations and their members. */
  readonly registration: Omit<RegistrationClients, 'close'>;
  /** Renders notices from the office's templates (or the built-ins); forgets a template on its save. */
  readonly templates: CachedTemplateRenderer;
}

export type Module = RuntimeModule<Platform>;
