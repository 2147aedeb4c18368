/**
 * What a notice would look like: a draft (before saving it), a saved version
 * or the one in use, filled with the values given and typed samples for the
 * rest, with warnings the office should read before saving.
 */
import { NOTICE_KINDS, type VariableType, type VariableValue } from '../../domain/notices.js';
import {
  assertTemplate,
  CHANNEL_LIMITS,
  lengthOf,
  samplesOf,
  TEMPLATE_TOO_LONG,
  TemplateRefusal,
  type TemplateKey,
} from '../../domain/templates.js';
import type { CurrentTemplate } from './current.js';
import { stateOf, type TemplatesDeps } from './deps.js';
import {
  checked,
  TEMPLATE_PREVIEW_SOURCE_INVALID,
  TEMPLATE_PREVIEW_VARIABLE_INVALID,
  templatesErrors,
  versionNotFound,
} from './errors.js';
import { renderTemplate } from './render.js';

export interface PreviewRequest {
  readonly key: TemplateKey;
  /** A draft: what is not given is taken from the version in use. */
  readonly title?: string;
  readonly body?: string;
  /** A saved version (0: the built-in) instead of a draft. */
  readonly version?: number;
  /** Values as JSON carries them: datetimes as ISO 8601 strings. */
  readonly variables?: Readonly<Record<string, string | number>>;
}

export const PREVIEW_WARNINGS = [
  /** A variable was not given: its typed sample is shown. */
  'SAMPLE_USED',
  /** A value was given for a variable the kind does not have: it is not shown. */
  'VARIABLE_NOT_IN_KIND',
  /** The draft would be refused on save for its length. */
  'TOO_LONG',
  /** With these values the SMS needs more than one message. */
  'SMS_SPLIT',
] as const;

export interface PreviewWarning {
  readonly code: (typeof PREVIEW_WARNINGS)[number];
  readonly message: string;
  readonly variable?: string;
}

export interface Preview {
  readonly title: string;
  readonly body: string;
  /** The version shown; null for a draft. */
  readonly version: number | null;
  readonly warnings: readonly PreviewWarning[];
}

export type PreviewTemplate = (request: PreviewRequest) => Promise<Preview>;

function valueOf(name: string, type: VariableType, given: string | number): VariableValue {
  if (type === 'text') return String(given);
  const invalid = (expected: string) =>
    templatesErrors.error(
      TEMPLATE_PREVIEW_VARIABLE_INVALID,
      `${name} is a ${type}: give ${expected}.`,
      { details: [{ field: `/variables/${name}`, message: `must be ${expected}` }] },
    );
  if (type === 'number') {
    const number = typeof given === 'number' ? given : Number(given.trim() === '' ? NaN : given);
    if (!Number.isFinite(number)) throw invalid('a number');
    return number;
  }
  const date = typeof given === 'string' ? new Date(given) : new Date(NaN);
  if (
    typeof given !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}T/.test(given) ||
    Number.isNaN(date.getTime())
  )
    throw invalid('an ISO 8601 date and time, such as 2026-04-01T09:30:00+08:00');
  return date;
}

function valuesFor(
  key: TemplateKey,
  given: Readonly<Record<string, string | number>>,
): { values: Record<string, VariableValue>; warnings: PreviewWarning[] } {
  const schema: Readonly<Record<string, VariableType>> = NOTICE_KINDS[key.kind].variables;
  const samples = samplesOf(key.kind, key.language);
  const values: Record<string, VariableValue> = {};
  const warnings: PreviewWarning[] = [];
  for (const [name, type] of Object.entries(schema)) {
    const value = Object.prototype.hasOwnProperty.call(given, name) ? given[name] : undefined;
    if (value === undefined) {
      values[name] = samples[name] ?? '';
      warnings.push({
        code: 'SAMPLE_USED',
        variable: name,
        message: `No value for ${name}: a sample ${type} is shown.`,
      });
    } else values[name] = valueOf(name, type, value);
  }
  for (const name of Object.keys(given))
    if (!Object.prototype.hasOwnProperty.call(schema, name))
      warnings.push({
        code: 'VARIABLE_NOT_IN_KIND',
        variable: name,
        message: `${key.kind} notices have no variable ${name}; its value is not shown.`,
      });
  return { values, warnings };
}

/** The draft's refusals on save, except its length (checked last), which the office should see rendered. */
function draftWarnings(template: CurrentTemplate, timeZone: string): PreviewWarning[] {
  try {
    assertTemplate(template.key, template, timeZone);
    return [];
  } catch (error) {
    if (error instanceof TemplateRefusal && error.code === TEMPLATE_TOO_LONG)
      return [{ code: 'TOO_LONG', message: error.message }];
    throw error;
  }
}

export const previewTemplate =
  ({ templates, timeZone }: Pick<TemplatesDeps, 'templates' | 'timeZone'>): PreviewTemplate =>
  async (request) => {
    const { key } = request;
    const isDraft = request.title !== undefined || request.body !== undefined;
    if (isDraft && request.version !== undefined)
      throw templatesErrors.error(
        TEMPLATE_PREVIEW_SOURCE_INVALID,
        'Preview either a draft (title, body) or a saved version, not both.',
      );
    const state = await stateOf(templates, key);
    let template: CurrentTemplate = state.current;
    const warnings: PreviewWarning[] = [];
    if (isDraft) {
      template = {
        key,
        version: state.current.version,
        title: request.title ?? state.current.title,
        body: request.body ?? state.current.body,
      };
      warnings.push(...checked(() => draftWarnings(template, timeZone)));
    } else if (request.version !== undefined) {
      const saved = state.versions.find((version) => version.version === request.version);
      if (saved === undefined) throw versionNotFound(request.version);
      template = { key, version: saved.version, title: saved.title, body: saved.body };
    }
    const { values, warnings: valueWarnings } = valuesFor(key, request.variables ?? {});
    const rendered = renderTemplate(template, values, { language: key.language, timeZone });
    const smsLimit = CHANNEL_LIMITS.sms.body;
    const smsLength = lengthOf(rendered.body);
    if (key.channel === 'sms' && smsLength > smsLimit)
      warnings.push({
        code: 'SMS_SPLIT',
        message: `With these values the SMS is ${String(smsLength)} characters: it goes out as ${String(Math.ceil(smsLength / 67))} messages.`,
      });
    return {
      title: rendered.title,
      body: rendered.body,
      version: isDraft ? null : template.version,
      warnings: [...warnings, ...valueWarnings],
    };
  };
