/**
 * What the templates slice stores: one document per (kind, channel,
 * language) the office changed, with every version it saved (and their audit
 * records), and the cache the renderer keeps of each one's current version.
 */
import type { OutboxEntry } from '@learning/events';
import type { TemplateRenderer } from '../ports.js';
import type { TemplateKey, TemplateText } from '../../domain/templates.js';

export interface TemplateVersion extends TemplateText {
  /** 1, 2, …; version 0 is the built-in, never stored. */
  readonly version: number;
  /** The version this one copied back (a rollback), null when written anew. */
  readonly restoredFrom: number | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface StoredTemplate {
  readonly key: TemplateKey;
  /** The version in use: the last saved. */
  readonly head: TemplateVersion;
  /** Oldest first. */
  readonly versions: readonly TemplateVersion[];
  /** Bumped by every save; a save applies only at the revision it read (0: never saved). */
  readonly revision: number;
  readonly updatedAt: Date;
}

/** A template's version in use as the renderer needs it. */
export type TemplateHead = Pick<StoredTemplate, 'key' | 'head' | 'updatedAt'>;

export interface NewVersion {
  readonly key: TemplateKey;
  /** The revision read; 0 when nothing was saved yet (the first save creates the document). */
  readonly expectedRevision: number;
  readonly version: TemplateVersion;
  readonly events: readonly OutboxEntry[];
}

export interface TemplateRepository {
  get(key: TemplateKey): Promise<StoredTemplate | null>;
  /** The version in use of each template the office changed. */
  heads(): Promise<TemplateHead[]>;
  /** The head of one, without its history: the renderer's read. */
  head(key: TemplateKey): Promise<TemplateVersion | null>;
  /** Appends the version and makes it the head; VERSION_CONFLICT when changed since `expectedRevision`. */
  append(change: NewVersion): Promise<StoredTemplate>;
}

/** The renderer the platform offers, which forgets what it cached of a template the office just changed. */
export interface CachedTemplateRenderer extends TemplateRenderer {
  forget(key: TemplateKey): void;
}
