import { readFileSync } from 'node:fs';
import { appErrorOf } from '@learning/domain';
import { AppError, platformErrors } from '@learning/errors';
import { describe, expect, it } from 'vitest';
import {
  checked,
  TEMPLATE_PREVIEW_SOURCE_INVALID,
  TEMPLATE_VERSION_CURRENT,
  templatesErrors,
  versionNotFound,
} from '../../src/application/templates/errors.js';
import * as templates from '../../src/domain/templates.js';

const key = { kind: 'enrollment.confirmed', channel: 'sms', language: 'zh-CN' } as const;

const refusalOf = (run: () => unknown): AppError => {
  try {
    run();
  } catch (error) {
    const translated = appErrorOf(error);
    if (translated instanceof AppError) return translated;
    throw error;
  }
  throw new Error('accepted');
};
const checkedRefusal = (template: templates.TemplateText): AppError =>
  refusalOf(() => {
    checked(() => {
      templates.assertTemplate(key, template, 'Asia/Shanghai');
    });
  });

describe('the templates error codes', () => {
  it('when the README is read, then its templates error table is the catalogue', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

    expect(templatesErrors.tableProblems(readme, 'templates-errors')).toEqual([]);
  });

  it('when the domain names a template code, then the catalogue has it', () => {
    const domainCodes = Object.entries(templates)
      .filter(([name, value]) => name.startsWith('TEMPLATE_') && typeof value === 'string')
      .map(([, code]) => code as string);

    expect(domainCodes).toHaveLength(6);
    expect(domainCodes.filter((code) => !templatesErrors.has(code))).toEqual([]);
  });

  it('when the slice or its domain refuses, then each error has the status its catalogue entry gives', () => {
    const refusals = [
      checkedRefusal({ title: '', body: '{{title' }),
      checkedRefusal({ title: '', body: '{{#title}}{{/title}}' }),
      checkedRefusal({ title: '', body: '{{amount}}' }),
      checkedRefusal({ title: '', body: '很'.repeat(71) }),
      checkedRefusal({ title: '标题', body: '正文' }),
      checkedRefusal({ title: '', body: ' ' }),
      versionNotFound(4),
      templatesErrors.error(TEMPLATE_VERSION_CURRENT, 'in use'),
      templatesErrors.error(TEMPLATE_PREVIEW_SOURCE_INVALID, 'both'),
    ];

    expect(refusals.map((error) => [error.code, error.httpStatus])).toEqual([
      ['TEMPLATE_SYNTAX_INVALID', 400],
      ['TEMPLATE_TAG_NOT_ALLOWED', 400],
      ['TEMPLATE_VARIABLE_UNKNOWN', 400],
      ['TEMPLATE_TOO_LONG', 400],
      ['TEMPLATE_TITLE_INVALID', 400],
      ['TEMPLATE_BODY_REQUIRED', 400],
      ['TEMPLATE_VERSION_NOT_FOUND', 404],
      ['TEMPLATE_VERSION_CURRENT', 409],
      ['TEMPLATE_PREVIEW_SOURCE_INVALID', 400],
    ]);
    expect(refusals[0]?.details).toEqual([{ field: '/body', message: refusals[0]?.message }]);
    expect(templatesErrors.problemsOf(refusals)).toEqual([]);
  });

  it('when merged with the platform catalogue, then no code means two things', () => {
    expect(() => templatesErrors.with(platformErrors)).not.toThrow();
  });
});
