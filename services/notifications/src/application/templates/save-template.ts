/**
 * The office saves a template: checked (syntax, the kind's variables, the
 * channel's lengths), stored as the next version and put in use at once;
 * every earlier version stays, to compare and restore.
 */
import type { Principal } from '@learning/auth';
import { assertTemplate, type TemplateKey, type TemplateText } from '../../domain/templates.js';
import { appendVersion, stateAt, type TemplatesDeps, type TemplateState } from './deps.js';
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
  (deps: TemplatesDeps): SaveTemplate =>
  async (principal, key, request) => {
    const text = { title: request.title, body: request.body };
    checked(() => {
      assertTemplate(key, text, deps.timeZone);
    });
    const before = await stateAt(deps.templates, key, request.expectedRevision);
    return appendVersion(deps, principal, before, text, {
      action: 'notice_template.save',
      restoredFrom: null,
    });
  };
