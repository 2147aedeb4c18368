import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE, splitPage } from '../../src/paging.js';

describe('splitPage', () => {
  it('when a query names no page, then its filters stand apart and the page has the default size', () => {
    const query: { status: string; q: string; pageSize?: number } = { status: 'active', q: '讲座' };
    expect(splitPage(query)).toEqual({
      filters: { status: 'active', q: '讲座' },
      page: { pageSize: DEFAULT_PAGE_SIZE },
    });
  });

  it('when a query names a page, then the page keeps its size and token', () => {
    expect(splitPage({ status: 'active', pageSize: 7, pageToken: 'abc' })).toEqual({
      filters: { status: 'active' },
      page: { pageSize: 7, pageToken: 'abc' },
    });
  });
});
