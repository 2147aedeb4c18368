/**
 * Notice templates: what the campaign office may write and how a notice is
 * filled in. Templates are logic-less mustache with plain variables only
 * (no sections, partials, unescaped tags, comments or delimiter changes), so
 * an office edit can never loop, include another file or hide text; each
 * variable must be in its kind's schema; each channel has its lengths.
 */
import { DomainError, HOUR_MS } from '@learning/domain';
import Mustache from 'mustache';
import {
  NOTICE_KINDS,
  type Channel,
  type NoticeKind,
  type VariableType,
  type VariableValue,
} from './notices.js';
import type { Language } from './preferences.js';

export const TEMPLATE_SYNTAX_INVALID = 'TEMPLATE_SYNTAX_INVALID';
export const TEMPLATE_TAG_NOT_ALLOWED = 'TEMPLATE_TAG_NOT_ALLOWED';
export const TEMPLATE_VARIABLE_UNKNOWN = 'TEMPLATE_VARIABLE_UNKNOWN';
export const TEMPLATE_TOO_LONG = 'TEMPLATE_TOO_LONG';
export const TEMPLATE_TITLE_INVALID = 'TEMPLATE_TITLE_INVALID';
export const TEMPLATE_BODY_REQUIRED = 'TEMPLATE_BODY_REQUIRED';

/** One template's address: a kind on a channel in a language. */
export interface TemplateKey {
  readonly kind: NoticeKind;
  readonly channel: Channel;
  readonly language: Language;
}

/** `<kind>:<channel>:<language>`: the document's id and the audit log's entity id. */
export const templateIdOf = ({ kind, channel, language }: TemplateKey): string =>
  `${kind}:${channel}:${language}`;

/** A template's text; SMS has no title (its title is empty). */
export interface TemplateText {
  readonly title: string;
  readonly body: string;
}

export type TemplateField = 'title' | 'body';

/** A refusal that names the field it is about (and where in it), so the office can find it. */
export class TemplateRefusal extends DomainError {
  constructor(
    code: string,
    readonly field: TemplateField,
    message: string,
  ) {
    super('invalid_argument', code, message);
  }
}

export interface ChannelLimits {
  /** Characters (code points); 0: the channel has no title. */
  readonly title: number;
  readonly body: number;
}

/**
 * Lengths in characters as the recipient sees them: measured with the kind's
 * sample values filled in (what the preview shows). One SMS is 70 Chinese
 * characters (the gateway adds the signature); a WeChat template message's
 * short field is 20; an email subject beyond 100 is cut by most mail clients.
 */
export const CHANNEL_LIMITS: Readonly<Record<Channel, ChannelLimits>> = {
  inbox: { title: 60, body: 2_000 },
  sms: { title: 0, body: 70 },
  email: { title: 100, body: 10_000 },
  wechat: { title: 20, body: 200 },
};

export const lengthOf = (text: string): number => Array.from(text).length;

const positionOf = (text: string, index: number): string => {
  const before = text.slice(0, index).split('\n');
  const line = before.length;
  const column = Array.from(before[line - 1] ?? '').length + 1;
  return `line ${String(line)}, column ${String(column)}`;
};

const TAG_NAMES: Readonly<Record<string, string>> = {
  '#': 'a section ({{#…}})',
  '^': 'an inverted section ({{^…}})',
  '/': 'a section end ({{/…}})',
  '&': 'an unescaped variable ({{&…}} or {{{…}}})',
  '>': 'a partial ({{>…}})',
  '!': 'a comment ({{!…}})',
  '=': 'a delimiter change ({{=… =}})',
};

/** Mustache's own message ends "at <index>". */
const MUSTACHE_POSITION = / at (\d+)$/;

/** Mustache tells where it gave up (the end, for an unclosed tag); the office wants where the tag opens. */
const openingOf = (text: string, message: string, index: number): number =>
  message.startsWith('Unclosed tag') ? Math.max(0, text.lastIndexOf('{{', index)) : index;

/**
 * The variables `text` names, in order of first use; refuses what is not a
 * well-formed template of plain variables.
 */
export function variablesOf(text: string, field: TemplateField): string[] {
  let tokens: ReturnType<typeof Mustache.parse>;
  try {
    tokens = Mustache.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const match = MUSTACHE_POSITION.exec(message);
    const where =
      match?.[1] === undefined
        ? ''
        : ` at ${positionOf(text, openingOf(text, message, Number(match[1])))}`;
    const what = message.replace(MUSTACHE_POSITION, '').toLowerCase();
    throw new TemplateRefusal(
      TEMPLATE_SYNTAX_INVALID,
      field,
      `The ${field} is not a valid template: ${what}${where}. Variables are written {{name}}.`,
    );
  }
  const names: string[] = [];
  for (const [type, value, start] of tokens) {
    if (type === 'text') continue;
    if (type !== 'name')
      throw new TemplateRefusal(
        TEMPLATE_TAG_NOT_ALLOWED,
        field,
        `The ${field} has ${TAG_NAMES[type] ?? `a "${type}" tag`} at ${positionOf(text, start)}; ` +
          'templates allow only plain variables, written {{name}}.',
      );
    if (!names.includes(value)) names.push(value);
  }
  return names;
}

const variableList = (kind: NoticeKind): string =>
  Object.entries(NOTICE_KINDS[kind].variables)
    .map(([name, type]) => `${name} (${type})`)
    .join(', ');

/** Refuses a variable the kind's schema does not have, naming the ones it has. */
export function assertKnownVariables(
  kind: NoticeKind,
  field: TemplateField,
  names: readonly string[],
): void {
  const schema: Readonly<Record<string, VariableType>> = NOTICE_KINDS[kind].variables;
  const unknown = names.find((name) => !Object.prototype.hasOwnProperty.call(schema, name));
  if (unknown !== undefined)
    throw new TemplateRefusal(
      TEMPLATE_VARIABLE_UNKNOWN,
      field,
      `The ${field} names {{${unknown}}}, which ${kind} notices do not have; ` +
        `they have: ${variableList(kind)}.`,
    );
}

/** Settings that decide how values read: the reader's language and the city's time zone. */
export interface Formatting {
  readonly language: Language;
  readonly timeZone: string;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

// zh-CN reads "2026年4月1日 09:30"; en (British order, as the city's English pages use) "1 Apr 2026, 09:30".
function dateTimeFormat({ language, timeZone }: Formatting): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}`;
  let format = dateTimeFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'zh-CN', {
      year: 'numeric',
      month: language === 'en' ? 'short' : 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    dateTimeFormats.set(key, format);
  }
  return format;
}

function numberFormat(language: Language): Intl.NumberFormat {
  let format = numberFormats.get(language);
  if (format === undefined) {
    // Grouped from five digits on, so a year reads 2026 and not 2,026.
    format = new Intl.NumberFormat(language, { useGrouping: 'min2', maximumFractionDigits: 2 });
    numberFormats.set(language, format);
  }
  return format;
}

/** A value as the reader sees it. */
export function formatValue(value: VariableValue, formatting: Formatting): string {
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? '' : dateTimeFormat(formatting).format(value);
  if (typeof value === 'number')
    return Number.isFinite(value) ? numberFormat(formatting.language).format(value) : '';
  return value;
}

export interface Filled {
  readonly text: string;
  /** Variables the template names that were not given (they read as empty). */
  readonly missing: readonly string[];
}

/** Fills `text` (already accepted) with `values`; plain text, so nothing is HTML-escaped. */
export function fill(
  text: string,
  values: Readonly<Record<string, VariableValue>>,
  formatting: Formatting,
): Filled {
  const view: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of variablesOf(text, 'body')) {
    const value = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    if (value === undefined) missing.push(name);
    view[name] = value === undefined ? '' : formatValue(value, formatting);
  }
  return { text: Mustache.render(text, view, {}, { escape: (shown: string) => shown }), missing };
}

const SAMPLE_TIME = Date.UTC(2026, 3, 1, 1, 30);

const SAMPLES: Readonly<Record<Language, Readonly<Record<string, VariableValue>>>> = {
  'zh-CN': {
    title: '社区读书会',
    venue: '市图书馆报告厅',
    place: '东湖街道',
    speaker: '王老师',
    reason: '场地维修',
    amount: '2.5',
    source: '讲座听课',
    award: '年度学习之星',
    organization: '东湖读书社',
    area: '东湖街道',
    gap: '本月没有活动',
    subject: '春季学习周安排',
    body: '详见通知全文。',
    subscription: '学分同步',
    url: 'https://example.org/hook',
    lastError: 'HTTP 503',
    items: '3 条报名通知',
    period: '今日',
  },
  en: {
    title: 'Reading club',
    venue: 'City Library hall',
    place: 'Donghu Street',
    speaker: 'Ms Wang',
    reason: 'venue repairs',
    amount: '2.5',
    source: 'a lecture',
    award: 'Learner of the Year',
    organization: 'Donghu Readers',
    area: 'Donghu Street',
    gap: 'no activity this month',
    subject: 'Spring learning week',
    body: 'See the full notice.',
    subscription: 'credit sync',
    url: 'https://example.org/hook',
    lastError: 'HTTP 503',
    items: '3 enrollment notices',
    period: 'today',
  },
};

const NUMBER_SAMPLES: Readonly<Record<string, number>> = {
  position: 3,
  year: 2026,
  failures: 5,
  count: 3,
};

const DATETIME_SAMPLES: Readonly<Record<string, number>> = {
  endsAt: SAMPLE_TIME + 2 * HOUR_MS,
  previousStartsAt: SAMPLE_TIME - 19 * HOUR_MS,
};

/** A typed sample for each of the kind's variables, in the language: what the preview and the length checks use. */
export function samplesOf(kind: NoticeKind, language: Language): Record<string, VariableValue> {
  const samples: Record<string, VariableValue> = {};
  for (const [name, type] of Object.entries(NOTICE_KINDS[kind].variables) as [
    string,
    VariableType,
  ][]) {
    if (type === 'datetime') samples[name] = new Date(DATETIME_SAMPLES[name] ?? SAMPLE_TIME);
    else if (type === 'number') samples[name] = NUMBER_SAMPLES[name] ?? 1;
    else samples[name] = SAMPLES[language][name] ?? name;
  }
  return samples;
}

/** The body's limit, or the title's (0: the channel has none). */
export const limitOf = (channel: Channel, field: TemplateField): number =>
  CHANNEL_LIMITS[channel][field];

/**
 * Accepts a template the office may save: well-formed, plain variables of the
 * kind only, a title where the channel has one, within the channel's lengths
 * as filled with the samples in the template's language.
 */
export function assertTemplate(key: TemplateKey, template: TemplateText, timeZone: string): void {
  const hasTitle = limitOf(key.channel, 'title') > 0;
  if (!hasTitle && template.title !== '')
    throw new TemplateRefusal(
      TEMPLATE_TITLE_INVALID,
      'title',
      'An SMS has no title: leave the title empty and put everything in the body.',
    );
  if (hasTitle && template.title.trim() === '')
    throw new TemplateRefusal(
      TEMPLATE_TITLE_INVALID,
      'title',
      `A ${key.channel} template needs a title (a subject line).`,
    );
  if (template.body.trim() === '')
    throw new TemplateRefusal(TEMPLATE_BODY_REQUIRED, 'body', 'The body must not be blank.');
  // Lengths last: a draft refused only for its length is still worth previewing.
  for (const field of ['title', 'body'] as const)
    assertKnownVariables(key.kind, field, variablesOf(template[field], field));
  const samples = samplesOf(key.kind, key.language);
  const formatting = { language: key.language, timeZone };
  for (const field of hasTitle ? (['title', 'body'] as const) : (['body'] as const)) {
    const limit = limitOf(key.channel, field);
    const length = lengthOf(fill(template[field], samples, formatting).text);
    if (length > limit)
      throw new TemplateRefusal(
        TEMPLATE_TOO_LONG,
        field,
        `The ${key.channel} ${field} is ${String(length)} characters with sample values ` +
          `filled in; at most ${String(limit)} are allowed.`,
      );
  }
}
