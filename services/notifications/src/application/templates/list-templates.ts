/**
 * Every template in use, one per kind, channel and language (the built-in
 * where the office saved none), in catalogue order, filtered and paged.
 */
import { AppError } from '@learning/errors';
import {
  CHANNELS,
  NOTICE_KIND_NAMES,
  type Channel,
  type NoticeKind,
} from '../../domain/notices.js';
import { LANGUAGES, type Language } from '../../domain/preferences.js';
import { templateIdOf, type TemplateKey } from '../../domain/templates.js';
import { builtInVersion, type CurrentTemplate } from './current.js';
import type { TemplateRepository } from './ports.js';

export interface TemplateQuery {
  readonly kind?: NoticeKind;
  readonly channel?: Channel;
  readonly language?: Language;
  /** true: only those the office changed; false: only those still on the built-in. */
  readonly customized?: boolean;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface ListedTemplate {
  readonly current: CurrentTemplate;
  readonly customized: boolean;
  /** When the office last saved it; null for a built-in. */
  readonly updatedAt: Date | null;
}

export interface TemplatePage {
  readonly items: ListedTemplate[];
  readonly nextPageToken: string | null;
}

export type ListTemplates = (query: TemplateQuery) => Promise<TemplatePage>;

const ALL_KEYS: readonly TemplateKey[] = NOTICE_KIND_NAMES.flatMap((kind) =>
  CHANNELS.flatMap((channel) => LANGUAGES.map((language) => ({ kind, channel, language }))),
);

// The token is the last listed template's id: the list is the fixed catalogue order.
const tokenOf = (key: TemplateKey): string => Buffer.from(templateIdOf(key)).toString('base64url');

function startAfter(pageToken: string | undefined): number {
  if (pageToken === undefined) return 0;
  const id = Buffer.from(pageToken, 'base64url').toString();
  const index = ALL_KEYS.findIndex((key) => templateIdOf(key) === id);
  if (index === -1)
    throw new AppError(
      'invalid_argument',
      'CURSOR_INVALID',
      'The page token is not one this list gave.',
    );
  return index + 1;
}

export const listTemplates =
  (templates: TemplateRepository): ListTemplates =>
  async (query) => {
    const heads = new Map((await templates.heads()).map((head) => [templateIdOf(head.key), head]));
    const matching = ALL_KEYS.slice(startAfter(query.pageToken)).filter(
      (key) =>
        (query.kind === undefined || key.kind === query.kind) &&
        (query.channel === undefined || key.channel === query.channel) &&
        (query.language === undefined || key.language === query.language) &&
        (query.customized === undefined || heads.has(templateIdOf(key)) === query.customized),
    );
    const page = matching.slice(0, query.pageSize);
    const items = page.flatMap((key): ListedTemplate[] => {
      const saved = heads.get(templateIdOf(key));
      if (saved !== undefined)
        return [
          {
            current: {
              key,
              version: saved.head.version,
              title: saved.head.title,
              body: saved.head.body,
            },
            customized: true,
            updatedAt: saved.updatedAt,
          },
        ];
      const builtIn = builtInVersion(key);
      return builtIn === undefined
        ? []
        : [{ current: builtIn, customized: false, updatedAt: null }];
    });
    const last = page.at(-1);
    return {
      items,
      nextPageToken: matching.length > page.length && last !== undefined ? tokenOf(last) : null,
    };
  };
