/** What every part of the scoring service is built on: the shared runtime, and its own parts once it has some. */
import type { Module as RuntimeModule, Platform as RuntimePlatform } from '@learning/runtime';
import type { ScoringConfig } from './config.js';

export type Platform = RuntimePlatform<ScoringConfig>;

export type Module = RuntimeModule<Platform>;
