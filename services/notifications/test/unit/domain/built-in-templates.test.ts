import { describe, expect, it } from 'vitest';
import { builtInTemplate } from '../../../src/domain/built-in-templates.js';
import { CHANNELS, NOTICE_KIND_NAMES } from '../../../src/domain/notices.js';
import { LANGUAGES } from '../../../src/domain/preferences.js';
import { assertTemplate, TemplateRefusal } from '../../../src/domain/templates.js';

const keys = NOTICE_KIND_NAMES.flatMap((kind) =>
  CHANNELS.flatMap((channel) => LANGUAGES.map((language) => ({ kind, channel, language }))),
);

describe('the built-in templates', () => {
  it('when every kind, channel and language is asked, then each has a built-in the office could have saved', () => {
    const problems = keys.flatMap((key) => {
      const template = builtInTemplate(key);
      if (template === undefined) return [`${key.kind}/${key.channel}/${key.language}: none`];
      try {
        assertTemplate(key, template, 'Asia/Shanghai');
        return [];
      } catch (error) {
        if (!(error instanceof TemplateRefusal)) throw error;
        return [`${key.kind}/${key.channel}/${key.language}: ${error.message}`];
      }
    });

    expect(keys).toHaveLength(NOTICE_KIND_NAMES.length * CHANNELS.length * LANGUAGES.length);
    expect(problems).toEqual([]);
  });

  it('when a language the service does not speak is asked, then there is no built-in', () => {
    expect(
      builtInTemplate({ kind: 'announcement', channel: 'inbox', language: 'fr' as 'en' }),
    ).toBeUndefined();
  });
});
