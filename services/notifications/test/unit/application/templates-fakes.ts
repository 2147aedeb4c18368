/** A hand-written template repository (our port) for unit tests: in memory, counting its reads. */
import type {
  NewVersion,
  StoredTemplate,
  TemplateHead,
  TemplateRepository,
  TemplateVersion,
} from '../../../src/application/templates/ports.js';
import { templateIdOf, type TemplateKey } from '../../../src/domain/templates.js';

export class InMemoryTemplates implements TemplateRepository {
  private readonly stored = new Map<string, StoredTemplate>();
  /** Head reads per template id. */
  readonly headReads = new Map<string, number>();

  get(key: TemplateKey): Promise<StoredTemplate | null> {
    return Promise.resolve(this.stored.get(templateIdOf(key)) ?? null);
  }

  heads(): Promise<TemplateHead[]> {
    return Promise.resolve([...this.stored.values()]);
  }

  head(key: TemplateKey): Promise<TemplateVersion | null> {
    const id = templateIdOf(key);
    this.headReads.set(id, (this.headReads.get(id) ?? 0) + 1);
    return Promise.resolve(this.stored.get(id)?.head ?? null);
  }

  append(change: NewVersion): Promise<StoredTemplate> {
    const before = this.stored.get(templateIdOf(change.key));
    if ((before?.revision ?? 0) !== change.expectedRevision)
      return Promise.reject(new Error('VERSION_CONFLICT'));
    const after: StoredTemplate = {
      key: change.key,
      head: change.version,
      versions: [...(before?.versions ?? []), change.version],
      revision: change.expectedRevision + 1,
      updatedAt: change.version.createdAt,
    };
    this.stored.set(templateIdOf(change.key), after);
    return Promise.resolve(after);
  }

  /** Saves `title`/`body` as the next version, as the office would. */
  async save(key: TemplateKey, title: string, body: string): Promise<StoredTemplate> {
    const before = await this.get(key);
    return this.append({
      key,
      expectedRevision: before?.revision ?? 0,
      version: {
        version: (before?.head.version ?? 0) + 1,
        title,
        body,
        restoredFrom: null,
        createdBy: 'office',
        createdAt: new Date('2026-03-01T00:00:00Z'),
      },
      events: [],
    });
  }
}
