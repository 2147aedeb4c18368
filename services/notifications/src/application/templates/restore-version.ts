/**
 * The office goes back to an earlier version (0: the built-in): its text is
 * saved again as the next version, so the history only grows and says who
 * restored what.
 */
import type { Principal } from '@learning/auth';
import type { TemplateKey } from '../../domain/templates.js';
import { appendVersion, stateAt, type TemplatesDeps, type TemplateState } from './deps.js';
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
  (deps: TemplatesDeps): RestoreVersion =>
  async (principal, key, request) => {
    const before = await stateAt(deps.templates, key, request.expectedRevision);
    const restored = before.versions.find((version) => version.version === request.version);
    if (restored === undefined) throw versionNotFound(request.version);
    if (restored.version === before.current.version)
      throw templatesErrors.error(
        TEMPLATE_VERSION_CURRENT,
        `Version ${String(request.version)} is already in use.`,
      );
    return appendVersion(deps, principal, before, restored, {
      action: 'notice_template.restore',
      restoredFrom: restored.version,
    });
  };
