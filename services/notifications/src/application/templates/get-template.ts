/** A template as the office and officers read it: the version in use and its history. */
import type { TemplateKey } from '../../domain/templates.js';
import { stateOf, type TemplateState } from './deps.js';
import type { TemplateRepository } from './ports.js';

export type GetTemplate = (key: TemplateKey) => Promise<TemplateState>;

export const getTemplate =
  (templates: TemplateRepository): GetTemplate =>
  (key) =>
    stateOf(templates, key);
