/** What every part of the registration service is built on: the shared runtime, plus the personal-data vault. */
import type { PiiVault } from '@learning/pii';
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type { RegistrationConfig } from './config.js';

export interface Platform extends RuntimePlatform<RegistrationConfig> {
  /** Encrypts and blind-indexes phone and ID numbers. */
  readonly pii: PiiVault;
}

export type Module = RuntimeModule<Platform>;
