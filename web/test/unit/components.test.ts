import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from 'vue-i18n';
import FilterBar from '../../src/components/FilterBar.vue';
import RemoteView from '../../src/components/RemoteView.vue';
import en from '../../src/i18n/en.js';
import zhCN from '../../src/i18n/zh-CN.js';

const i18n = () => createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } });

describe('RemoteView', () => {
  const mountWith = (state: unknown, isEmpty?: (value: unknown) => boolean) =>
    mount(RemoteView, {
      props: { state, ...(isEmpty === undefined ? {} : { isEmpty }) } as never,
      slots: { default: '<p class="shown">{{ params.value }}</p>' },
      global: { plugins: [i18n()] },
    });

  it('when loading, then a status announces it to screen readers', () => {
    const view = mountWith({ kind: 'loading' });
    expect(view.get('[role="status"]').text()).toContain('正在加载');
  });

  it('when the thing is gone (404), then the page says so and offers no retry', () => {
    const view = mountWith({ kind: 'failed', code: 'ACTIVITY_NOT_FOUND', status: 404 });
    expect(view.get('[role="alert"]').text()).toContain('没有找到');
    expect(view.find('button').exists()).toBe(false);
  });

  it('when a service is down, then retry is offered and asks again', async () => {
    const view = mountWith({ kind: 'failed', code: 'NETWORK', status: null });
    expect(view.get('[role="alert"]').text()).toContain('加载失败');
    await view.get('button').trigger('click');
    expect(view.emitted('retry')).toHaveLength(1);
  });

  it('when the answer is empty, then the empty state shows, not the list', () => {
    const view = mountWith(
      { kind: 'ready', value: [] },
      (value) => (value as unknown[]).length === 0,
    );
    expect(view.text()).toContain('暂时没有');
    expect(view.find('.shown').exists()).toBe(false);
  });

  it('when the answer has content, then the slot gets it', () => {
    const view = mountWith({ kind: 'ready', value: '社区读书会' }, () => false);
    expect(view.get('.shown').text()).toBe('社区读书会');
  });
});

describe('FilterBar', () => {
  // The place filter asks registration for the city's places: none here.
  beforeEach(() => {
    vi.stubGlobal('fetch', () =>
      Promise.resolve(Response.json({ items: [], nextPageToken: null })),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('when a citizen types words and picks a tier, then submitting hands over the whole filter', async () => {
    const bar = mount(FilterBar, {
      props: { modelValue: { jurisdictionCode: '330999101000' } },
      global: { plugins: [i18n()] },
    });
    await bar.get('input[name="q"]').setValue('读书');
    await bar.get('select[name="tier"]').setValue('ordinary_citizen');
    await bar.get('form').trigger('submit');
    expect(bar.emitted<[unknown]>('apply')?.[0]?.[0]).toMatchObject({
      q: '读书',
      tier: 'ordinary_citizen',
      jurisdictionCode: '330999101000',
      category: '',
    });
  });

  it('when a citizen clears the filter, then an empty one is handed over', async () => {
    const bar = mount(FilterBar, {
      props: { modelValue: { q: '读书' } },
      global: { plugins: [i18n()] },
    });
    const clear = bar.findAll('button').find((button) => button.text() === '清除');
    await clear?.trigger('click');
    expect(bar.emitted<[unknown]>('apply')?.[0]?.[0]).toEqual({});
  });
});
