import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from 'vue-i18n';
import FilterBar from '../../src/components/FilterBar.vue';
import en from '../../src/i18n/en.js';
import zhCN from '../../src/i18n/zh-CN.js';

const places: Record<string, { code: string; name: string; level: string }[]> = {
  township: [{ code: '330999101000', name: '河姆渡镇', level: 'township' }],
  street: [{ code: '330999001000', name: '梨洲街道', level: 'street' }],
};

describe('the place filter', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("when registration lists the city's townships and streets, then the filter offers them by name, in code order, and hands over the chosen code", async () => {
    const asked: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      asked.push(url);
      const level = new URL(url, 'http://portal').searchParams.get('level') ?? '';
      return Promise.resolve(
        Response.json({
          items: (places[level] ?? []).map((place) => ({ ...place, parentCode: '330999000000' })),
          nextPageToken: null,
        }),
      );
    });
    const bar = mount(FilterBar, {
      props: { modelValue: {} },
      global: {
        plugins: [createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } })],
      },
    });
    await flushPromises();

    expect(
      asked.every((url) =>
        url.startsWith('/api/registration/v1/public/jurisdictions/330999000000/descendants?'),
      ),
    ).toBe(true);
    const options = bar.findAll('select[name="jurisdictionCode"] option');
    expect(options.map((option) => option.text())).toEqual(['全市', '梨洲街道', '河姆渡镇']);
    await bar.get('select[name="jurisdictionCode"]').setValue('330999101000');
    await bar.get('form').trigger('submit');
    expect(bar.emitted<[Record<string, string>]>('apply')?.[0]?.[0]).toMatchObject({
      jurisdictionCode: '330999101000',
    });
  });

  it('when a shared link names a place not in the list (registration down), then it stays chosen under its code', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    const bar = mount(FilterBar, {
      props: { modelValue: { jurisdictionCode: '330999101001' } },
      global: {
        plugins: [createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } })],
      },
    });
    await flushPromises();
    const select = bar.get<HTMLSelectElement>('select[name="jurisdictionCode"]');
    expect(select.element.value).toBe('330999101001');
  });
});
