import { captureLogger } from '@learning/testing';
import { describe, expect, it } from 'vitest';
import { MongoTemplateRenderer } from '../../../src/adapters/mongo/template-renderer.js';
import { InMemoryTemplates } from '../application/templates-fakes.js';

const confirmed = {
  title: '社区读书会',
  startsAt: new Date('2026-04-01T01:30:00Z'),
  endsAt: new Date('2026-04-01T03:30:00Z'),
  venue: '市图书馆',
};

function rendererOver(templates: InMemoryTemplates, ttlMs = 10_000) {
  const logs = captureLogger();
  const renderer = new MongoTemplateRenderer(
    templates,
    { timeZone: 'Asia/Shanghai', ttlMs },
    logs.logger,
  );
  return { renderer, logs };
}

describe('the template renderer', () => {
  it('when nothing was saved, then the built-in (version 0) is filled in the reader’s language', async () => {
    const { renderer } = rendererOver(new InMemoryTemplates());

    const zh = await renderer.render('enrollment.confirmed', 'sms', 'zh-CN', confirmed);
    const en = await renderer.render('enrollment.confirmed', 'inbox', 'en', {
      ...confirmed,
      title: 'Reading club',
    });

    expect(zh).toEqual({
      title: '',
      body: '报名成功：社区读书会，时间 2026年4月1日 09:30，地点 市图书馆。',
      templateVersion: 0,
    });
    expect(en.title).toBe('You are enrolled: Reading club');
    expect(en.body).toContain('When: 1 Apr 2026, 09:30 to 1 Apr 2026, 11:30');
  });

  it('when the office saved a version, then it is used with its number', async () => {
    const templates = new InMemoryTemplates();
    await templates.save(
      { kind: 'enrollment.confirmed', channel: 'inbox', language: 'zh-CN' },
      '已报名：{{title}}',
      '{{startsAt}} 见！',
    );
    const { renderer } = rendererOver(templates);

    expect(await renderer.render('enrollment.confirmed', 'inbox', 'zh-CN', confirmed)).toEqual({
      title: '已报名：社区读书会',
      body: '2026年4月1日 09:30 见！',
      templateVersion: 1,
    });
  });

  it('when only the zh-CN template was saved, then an English reader still gets the English built-in', async () => {
    const templates = new InMemoryTemplates();
    await templates.save(
      { kind: 'enrollment.confirmed', channel: 'inbox', language: 'zh-CN' },
      '已报名',
      '见！',
    );
    const { renderer } = rendererOver(templates);

    const rendered = await renderer.render('enrollment.confirmed', 'inbox', 'en', confirmed);

    expect(rendered.templateVersion).toBe(0);
    expect(rendered.title).toBe('You are enrolled: 社区读书会');
  });

  it('when a language has no template of its own, then the zh-CN one is used, values read in zh-CN', async () => {
    const templates = new InMemoryTemplates();
    await templates.save(
      { kind: 'enrollment.confirmed', channel: 'inbox', language: 'zh-CN' },
      '已报名',
      '{{startsAt}}',
    );
    const { renderer } = rendererOver(templates);

    const rendered = await renderer.render(
      'enrollment.confirmed',
      'inbox',
      'fr' as 'en',
      confirmed,
    );

    expect(rendered).toEqual({ title: '已报名', body: '2026年4月1日 09:30', templateVersion: 1 });
  });

  it('when a thousand notices of one template are rendered at once, then the store is read once', async () => {
    const templates = new InMemoryTemplates();
    const { renderer } = rendererOver(templates);

    await Promise.all(
      Array.from({ length: 1_000 }, () =>
        renderer.render('reminder.day-before', 'sms', 'zh-CN', confirmed),
      ),
    );
    await renderer.render('reminder.day-before', 'sms', 'zh-CN', confirmed);

    expect(templates.headReads.get('reminder.day-before:sms:zh-CN')).toBe(1);
  });

  it('when a template is forgotten after a save, then the next render uses the new version', async () => {
    const templates = new InMemoryTemplates();
    const key = { kind: 'reminder.day-before', channel: 'sms', language: 'zh-CN' } as const;
    const { renderer } = rendererOver(templates);
    await renderer.render(key.kind, key.channel, key.language, confirmed);
    await templates.save(key, '', '明天：{{title}}');

    const beforeForget = await renderer.render(key.kind, key.channel, key.language, confirmed);
    renderer.forget(key);
    const afterForget = await renderer.render(key.kind, key.channel, key.language, confirmed);

    expect(beforeForget.templateVersion).toBe(0);
    expect(afterForget).toEqual({ title: '', body: '明天：社区读书会', templateVersion: 1 });
  });

  it('when the cache entry expires, then a save made elsewhere is picked up', async () => {
    const templates = new InMemoryTemplates();
    const key = { kind: 'reminder.day-before', channel: 'sms', language: 'zh-CN' } as const;
    const { renderer } = rendererOver(templates, 100);
    await renderer.render(key.kind, key.channel, key.language, confirmed);
    await templates.save(key, '', '明天：{{title}}');

    await new Promise((resolve) => setTimeout(resolve, 150));

    expect(
      (await renderer.render(key.kind, key.channel, key.language, confirmed)).templateVersion,
    ).toBe(1);
  });

  it('when a variable is missing, then it reads as empty and is logged once for the template, not per notice', async () => {
    const { renderer, logs } = rendererOver(new InMemoryTemplates());
    const withoutVenue = { title: confirmed.title, startsAt: confirmed.startsAt };

    const first = await renderer.render('reminder.hour-before', 'sms', 'zh-CN', withoutVenue);
    await renderer.render('reminder.hour-before', 'sms', 'zh-CN', withoutVenue);

    expect(first.body).toBe('社区读书会将于2026年4月1日 09:30开始，地点，请准时到场。');
    const warnings = logs.lines.filter((line) => line.variable === 'venue');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'reminder.hour-before', channel: 'sms' });
  });
});
