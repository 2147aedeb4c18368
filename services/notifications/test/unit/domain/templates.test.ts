import { describe, expect, it } from 'vitest';
import {
  assertTemplate,
  fill,
  formatValue,
  TemplateRefusal,
  variablesOf,
  type TemplateKey,
  type TemplateText,
} from '../../../src/domain/templates.js';

const SHANGHAI = 'Asia/Shanghai';
const zh = { language: 'zh-CN', timeZone: SHANGHAI } as const;
const en = { language: 'en', timeZone: SHANGHAI } as const;
// 2026-04-01 09:30 in Shanghai.
const APRIL_FIRST = new Date('2026-04-01T01:30:00Z');

const refusalOf = (run: () => unknown): TemplateRefusal => {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateRefusal) return error;
    throw error;
  }
  throw new Error('accepted');
};

const confirmedInbox: TemplateKey = {
  kind: 'enrollment.confirmed',
  channel: 'inbox',
  language: 'zh-CN',
};
const check = (key: TemplateKey, template: TemplateText) =>
  refusalOf(() => {
    assertTemplate(key, template, SHANGHAI);
  });

describe('template variables', () => {
  it('when a template names variables, then each is listed once in order of first use', () => {
    expect(variablesOf('{{title}} {{ startsAt }}，{{title}}', 'body')).toEqual([
      'title',
      'startsAt',
    ]);
  });

  it('when a tag is left open, then it is refused with its line and column', () => {
    const refusal = refusalOf(() => variablesOf('报名成功\n时间 {{startsAt', 'body'));

    expect(refusal.code).toBe('TEMPLATE_SYNTAX_INVALID');
    expect(refusal.field).toBe('body');
    expect(refusal.message).toContain('line 2, column 4');
  });

  it('when a section is left open, then it is refused as a syntax error', () => {
    expect(refusalOf(() => variablesOf('{{#title}}x', 'title')).code).toBe(
      'TEMPLATE_SYNTAX_INVALID',
    );
  });

  it.each([
    ['{{#title}}x{{/title}}', 'a section'],
    ['{{^title}}x{{/title}}', 'an inverted section'],
    ['{{{title}}}', 'an unescaped variable'],
    ['{{&title}}', 'an unescaped variable'],
    ['{{>footer}}', 'a partial'],
    ['{{! note }}', 'a comment'],
    ['{{=<% %>=}}', 'a delimiter change'],
  ])('when a template has %s, then it is refused as %s', (text, what) => {
    const refusal = refusalOf(() => variablesOf(`前文 ${text}`, 'body'));

    expect(refusal.code).toBe('TEMPLATE_TAG_NOT_ALLOWED');
    expect(refusal.message).toContain(what);
    expect(refusal.message).toContain('line 1, column 4');
  });

  it('when a template names a variable its kind lacks, then the refusal names it and the kind’s variables', () => {
    const refusal = check(confirmedInbox, { title: '{{title}}', body: '积分 {{amount}}' });

    expect(refusal.code).toBe('TEMPLATE_VARIABLE_UNKNOWN');
    expect(refusal.field).toBe('body');
    expect(refusal.message).toContain('{{amount}}');
    expect(refusal.message).toContain(
      'title (text), startsAt (datetime), endsAt (datetime), venue (text)',
    );
  });

  it('when a dotted name is used, then it is an unknown variable, not a lookup', () => {
    expect(check(confirmedInbox, { title: '{{title.length}}', body: 'x' }).code).toBe(
      'TEMPLATE_VARIABLE_UNKNOWN',
    );
  });
});

describe('template limits', () => {
  it('when an SMS with samples filled in runs past 70 characters, then it is refused with the limit', () => {
    const refusal = check(
      { kind: 'enrollment.confirmed', channel: 'sms', language: 'zh-CN' },
      { title: '', body: `${'请'.repeat(60)}{{title}}{{startsAt}}` },
    );

    expect(refusal.code).toBe('TEMPLATE_TOO_LONG');
    expect(refusal.message).toContain('at most 70');
    expect(refusal.message).toContain('80 characters');
  });

  it('when an SMS is exactly 70 characters with samples, then it is accepted', () => {
    // The title sample 社区读书会 is 5 characters.
    expect(() => {
      assertTemplate(
        { kind: 'enrollment.confirmed', channel: 'sms', language: 'zh-CN' },
        { title: '', body: `${'请'.repeat(65)}{{title}}` },
        SHANGHAI,
      );
    }).not.toThrow();
  });

  it.each([
    ['wechat', 'title', 20, '活动报名成功通知：请查看详情并准时参加本次活动'],
    ['email', 'title', 100, '邮'.repeat(101)],
    ['inbox', 'title', 60, '标'.repeat(61)],
    ['wechat', 'body', 200, '正'.repeat(201)],
  ] as const)(
    'when a %s %s is over %i characters, then it is refused with that limit',
    (channel, field, limit, text) => {
      const template = { title: '标题', body: '正文', [field]: text };
      const refusal = check({ kind: 'enrollment.confirmed', channel, language: 'zh-CN' }, template);

      expect(refusal.code).toBe('TEMPLATE_TOO_LONG');
      expect(refusal.field).toBe(field);
      expect(refusal.message).toContain(`at most ${String(limit)}`);
    },
  );

  it('when an SMS has a title, then it is refused: SMS has none', () => {
    expect(
      check(
        { kind: 'enrollment.confirmed', channel: 'sms', language: 'zh-CN' },
        { title: '标题', body: '正文' },
      ).code,
    ).toBe('TEMPLATE_TITLE_INVALID');
  });

  it('when an email has a blank subject or a blank body, then each is refused', () => {
    const key = { ...confirmedInbox, channel: 'email' } as const;

    expect(check(key, { title: ' ', body: '正文' }).code).toBe('TEMPLATE_TITLE_INVALID');
    expect(check(key, { title: '标题', body: '\n' }).code).toBe('TEMPLATE_BODY_REQUIRED');
  });
});

describe('filling a template', () => {
  it('when a datetime is filled in zh-CN, then it reads 2026年4月1日 09:30 in the city’s time zone', () => {
    expect(formatValue(APRIL_FIRST, zh)).toBe('2026年4月1日 09:30');
  });

  it('when a datetime is filled in en, then it reads 1 Apr 2026, 09:30', () => {
    expect(formatValue(APRIL_FIRST, en)).toBe('1 Apr 2026, 09:30');
  });

  it('when another time zone is the city’s, then the time is read there', () => {
    expect(formatValue(APRIL_FIRST, { language: 'en', timeZone: 'Europe/London' })).toBe(
      '1 Apr 2026, 02:30',
    );
  });

  it('when numbers are filled, then large ones are grouped per language and years are not', () => {
    expect(formatValue(12345.5, en)).toBe('12,345.5');
    expect(formatValue(2026, zh)).toBe('2026');
    expect(formatValue(3, zh)).toBe('3');
  });

  it('when a variable is missing, then it reads as empty and is reported', () => {
    const filled = fill('报名成功：{{title}}，时间 {{startsAt}}', { title: '读书会' }, zh);

    expect(filled).toEqual({ text: '报名成功：读书会，时间 ', missing: ['startsAt'] });
  });

  it('when a value holds HTML or mustache, then it is shown as given and not interpreted', () => {
    const filled = fill('{{title}}', { title: '<b>A&B</b> {{venue}}' }, zh);

    expect(filled.text).toBe('<b>A&B</b> {{venue}}');
  });
});
