/**
 * The office goes back to an earlier version (0: the built-in): its text is
 * saved again as the next version, so the history only grows and says who
 * restored what.
 */
import type { Principal } from '@learning/auth';
import type { TemplateKey } from '../../domain/templates.js';
import { templateAudit } from './audit.js';
import { stateAt, stateOf, type TemplatesDeps, type TemplateState } from './deps.js';
import { TEMPLATE_VERSION_CURRENT, templatesErrors, versionNotFound } from './errors.js';

export interface RestoreRequest {
  readonly version: number;
  readonly expectedRevision?: number;
}

export type RestoreVersion = (
  principal: Principal,
  key: TemplateKey,
  request: RestoreRequest,
) => Promise<TemplateState>;

export const restoreVersion =
  ({ templates, forget, audit, clock }: TemplatesDeps): RestoreVersion =>
  async (principal, key, request) => {
    const before = await stateAt(templates, key, request.expectedRevision);
    const restored = before.versions.find((version) => version.version === request.version);
    if (restored === undefined) throw versionNotFound(request.version);
    if (restored.version === before.current.version)
      throw templatesErrors.error(
        TEMPLATE_VERSION_CURRENT,
        `Version ${String(request.version)} is already in use.`,
      );
    const version = {
      title: restored.title,
      body: restored.body,
      // Every save is one version and one revision, so the next of each is the same number.
      version: before.revision + 1,
      restoredFrom: restored.version,
      createdBy: principal.subject,
      createdAt: clock(),
    };
    const stored = await templates.append({
      key,
      expectedRevision: before.revision,
      version,
      events: [
        templateAudit(audit, principal, 'notice_template.restore', key, before.current, version),
      ],
    });
    forget(key);
    return stateOf(templates, key, stored);
  };
