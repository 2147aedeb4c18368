/** What the templates use cases share: the store, the renderer's cache, the audit trail and the clock. */
import type { AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { TemplateKey, TemplateText } from '../../domain/templates.js';
import { templateAudit } from './audit.js';
import { builtInVersion, currentTemplate, type CurrentTemplate } from './current.js';
import type { StoredTemplate, TemplateRepository, TemplateVersion } from './ports.js';

export interface TemplatesDeps {
  readonly templates: TemplateRepository;
  /** Forgets this replica's copy of a template once a save is stored. */
  readonly forget: (key: TemplateKey) => void;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  /** The city's time zone: lengths are checked with samples read there. */
  readonly timeZone: string;
}

/** A template as the office sees it: the version in use and every version (0: the built-in). */
export interface TemplateState {
  readonly key: TemplateKey;
  readonly current: CurrentTemplate;
  readonly versions: readonly (TemplateVersion | BuiltInVersion)[];
  /** 0 while nothing was saved. */
  readonly revision: number;
}

export interface BuiltInVersion {
  readonly version: 0;
  readonly title: string;
  readonly body: string;
  readonly restoredFrom: null;
  readonly createdBy: null;
  readonly createdAt: null;
}

function builtInOf(key: TemplateKey): BuiltInVersion[] {
  const builtIn = builtInVersion(key);
  return builtIn === undefined
    ? []
    : [
        {
          version: 0,
          title: builtIn.title,
          body: builtIn.body,
          restoredFrom: null,
          createdBy: null,
          createdAt: null,
        },
      ];
}

export async function stateOf(
  templates: TemplateRepository,
  key: TemplateKey,
  stored?: StoredTemplate | null,
): Promise<TemplateState> {
  const found = stored === undefined ? await templates.get(key) : stored;
  return {
    key,
    current: await currentTemplate(key, () => Promise.resolve(found?.head ?? null)),
    versions: [...builtInOf(key), ...(found?.versions ?? [])],
    revision: found?.revision ?? 0,
  };
}

/** The state read, refused when the caller read another revision. */
export async function stateAt(
  templates: TemplateRepository,
  key: TemplateKey,
  expectedRevision: number | undefined,
): Promise<TemplateState> {
  const state = await stateOf(templates, key);
  if (expectedRevision !== undefined && expectedRevision !== state.revision)
    throw new AppError(
      'aborted',
      'VERSION_CONFLICT',
      'The template was changed by someone else; reload it and try again.',
    );
  return state;
}

/**
 * Stores `text` as the next version of the template read as `before`, in use
 * at once, with its audit record; this replica forgets its cached copy.
 */
export async function appendVersion(
  { templates, forget, audit, clock }: TemplatesDeps,
  principal: Principal,
  before: TemplateState,
  text: TemplateText,
  change: {
    readonly action: 'notice_template.save' | 'notice_template.restore';
    readonly restoredFrom: number | null;
  },
): Promise<TemplateState> {
  const version = {
    title: text.title,
    body: text.body,
    // Every save is one version and one revision, so the next of each is the same number.
    version: before.revision + 1,
    restoredFrom: change.restoredFrom,
    createdBy: principal.subject,
    createdAt: clock(),
  };
  const stored = await templates.append({
    key: before.key,
    expectedRevision: before.revision,
    version,
    events: [templateAudit(audit, principal, change.action, before.key, before.current, version)],
  });
  forget(before.key);
  return stateOf(templates, before.key, stored);
}
