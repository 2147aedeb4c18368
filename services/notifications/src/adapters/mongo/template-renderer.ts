/**
 * The platform's `TemplateRenderer` over the template documents: each
 * template's version in use is kept in process for a few seconds, so a
 * fan-out of a thousand notices reads MongoDB once per template, not per
 * notice. A save on this replica forgets its entry at once; other replicas
 * see it when theirs expires.
 */
import type { Logger } from '@learning/logger';
import { LRUCache } from 'lru-cache';
import { currentTemplate } from '../../application/templates/current.js';
import type {
  CachedTemplateRenderer,
  TemplateRepository,
  TemplateVersion,
} from '../../application/templates/ports.js';
import { renderTemplate } from '../../application/templates/render.js';
import type { Rendered } from '../../application/ports.js';
import type { Channel, NoticeKind, VariableValue } from '../../domain/notices.js';
import type { Language } from '../../domain/preferences.js';
import { templateIdOf, type TemplateKey } from '../../domain/templates.js';

export interface TemplateRendererOptions {
  /** The city's time zone: datetimes read in it. */
  readonly timeZone: string;
  /** How long a template's version in use is trusted before MongoDB is asked again. */
  readonly ttlMs: number;
}

/** Every kind × channel × language fits: a few hundred small entries. */
const MAX_ENTRIES = 1_000;

// The cache holds "nothing saved" too, which lru-cache cannot store as a value.
const NOTHING_SAVED = { saved: false } as const;
type Entry = { readonly saved: true; readonly version: TemplateVersion } | typeof NOTHING_SAVED;

export class MongoTemplateRenderer implements CachedTemplateRenderer {
  private readonly heads: LRUCache<string, Entry, TemplateKey>;
  /** Each template and variable reported missing once per process, not once per notice. */
  private readonly reportedMissing = new Set<string>();

  constructor(
    private readonly templates: TemplateRepository,
    private readonly options: TemplateRendererOptions,
    private readonly logger: Logger,
  ) {
    this.heads = new LRUCache<string, Entry, TemplateKey>({
      max: MAX_ENTRIES,
      ttl: options.ttlMs,
      fetchMethod: async (_id, _stale, { context }) => {
        const version = await this.templates.head(context);
        return version === null ? NOTHING_SAVED : { saved: true, version };
      },
    });
  }

  async render(
    kind: NoticeKind,
    channel: Channel,
    language: Language,
    variables: Readonly<Record<string, VariableValue>>,
  ): Promise<Rendered> {
    const template = await currentTemplate({ kind, channel, language }, (key) => this.headOf(key));
    const rendered = renderTemplate(template, variables, {
      language: template.key.language,
      timeZone: this.options.timeZone,
    });
    for (const name of rendered.missing) this.reportMissing(template.key, name);
    return {
      title: rendered.title,
      body: rendered.body,
      templateVersion: rendered.templateVersion,
    };
  }

  forget(key: TemplateKey): void {
    this.heads.delete(templateIdOf(key));
  }

  private async headOf(key: TemplateKey): Promise<TemplateVersion | null> {
    // Concurrent renders of one template share one read. A save forgetting the
    // entry aborts a read in flight (it may predate the save): read again then.
    const entry = await this.heads
      .fetch(templateIdOf(key), { context: key })
      .catch(() => undefined);
    if (entry !== undefined) return entry.saved ? entry.version : null;
    return this.templates.head(key);
  }

  private reportMissing(key: TemplateKey, variable: string): void {
    const id = `${templateIdOf(key)}:${variable}`;
    if (this.reportedMissing.has(id)) return;
    this.reportedMissing.add(id);
    this.logger.warn(
      { kind: key.kind, channel: key.channel, language: key.language, variable },
      'a notice lacked a variable its template names; it reads as empty',
    );
  }
}
