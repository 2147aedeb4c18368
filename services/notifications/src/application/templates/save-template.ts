/**
 * The office saves a template: checked (syntax, the kind's variables, the
 * channel's lengths), stored as the next version and put in use at once;
 * every earlier version stays, to compare and restore.
 */
import type { Principal } from '@learning/auth';
import { assertTemplate, type TemplateKey, type TemplateText } from '../../domain/templates.js';
import { templateAudit } from './audit.js';
import { stateAt, stateOf, type TemplatesDeps, type TemplateState } from './deps.js';
import { checked } from './errors.js';

export interface SaveRequest extends TemplateText {
  /** The revision last read (0: nothing saved yet); the current one when absent. */
  readonly expectedRevision?: number;
}

export type SaveTemplate = (
  principal: Principal,
  key: TemplateKey,
  request: SaveRequest,
) => Promise<TemplateState>;

export const saveTemplate =
  ({ templates, forget, audit, clock, timeZone }: TemplatesDeps): SaveTemplate =>
  async (principal, key, request) => {
    const text = { title: request.title, body: request.body };
    checked(() => {
      assertTemplate(key, text, timeZone);
    });
    const before = await stateAt(templates, key, request.expectedRevision);
    const version = {
      ...text,
      // Every save is one version and one revision, so the next of each is the same number.
      version: before.revision + 1,
      restoredFrom: null,
      createdBy: principal.subject,
      createdAt: clock(),
    };
    const stored = await templates.append({
      key,
      expectedRevision: before.revision,
      version,
      events: [
        templateAudit(audit, principal, 'notice_template.save', key, before.current, version),
      ],
    });
    forget(key);
    return stateOf(templates, key, stored);
  };
