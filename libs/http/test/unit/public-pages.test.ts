import { describe, expect, it } from 'vitest';
import {
  publicMaxAgeSeconds,
  publicPageKey,
  publicPageSender,
  type CachedPages,
} from '../../src/public-pages.js';

describe('publicPageKey', () => {
  it('when two queries differ only in the order or in absent parameters, then they share a key', () => {
    expect(publicPageKey('/v1/public/x', { q: '讲座', b: 2, a: undefined })).toBe(
      publicPageKey('/v1/public/x', { b: 2, q: '讲座' }),
    );
    expect(publicPageKey('/v1/public/x', { b: 2, a: 'y' })).toBe('/v1/public/x?a=y&b=2');
  });

  it('when the values differ, then the keys differ', () => {
    expect(publicPageKey('/v1/public/x', { a: '1' })).not.toBe(
      publicPageKey('/v1/public/x', { a: '2' }),
    );
    expect(publicPageKey('/v1/public/x/1')).toBe('/v1/public/x/1?');
  });
});

class FakeReply {
  readonly headers: Record<string, string> = {};
  contentType = '';
  payload: unknown;
  header(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }
  type(contentType: string): this {
    this.contentType = contentType;
    return this;
  }
  send(payload: unknown): this {
    this.payload = payload;
    return this;
  }
}

class MapPages implements CachedPages {
  readonly pages = new Map<string, string>();
  async through(key: string, render: () => Promise<string>) {
    const kept = this.pages.get(key);
    if (kept !== undefined) return { page: kept, hit: true };
    const page = await render();
    this.pages.set(key, page);
    return { page, hit: false };
  }
}

describe('publicPageSender', () => {
  it('when a page is rendered and then asked again, then it is sent as JSON, first missed then hit', async () => {
    const pages = new MapPages();
    const send = publicPageSender(pages, 7);
    let renders = 0;
    const render = () => Promise.resolve({ items: [++renders] });

    const first = new FakeReply();
    await send(first, 'k', render);
    const second = new FakeReply();
    await send(second, 'k', render);

    expect(first.payload).toBe('{"items":[1]}');
    expect(second.payload).toBe('{"items":[1]}');
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['miss', 'hit']);
    expect(second.headers['cache-control']).toBe('public, max-age=7');
    expect(second.contentType).toBe('application/json; charset=utf-8');
  });

  it('when the render fails, then the error propagates and nothing is cached nor sent', async () => {
    const pages = new MapPages();
    const reply = new FakeReply();
    await expect(
      publicPageSender(pages, 5)(reply, 'k', () => Promise.reject(new Error('not found'))),
    ).rejects.toThrow('not found');
    expect(pages.pages.size).toBe(0);
    expect(reply.payload).toBeUndefined();
  });
});

describe('publicMaxAgeSeconds', () => {
  it('when the shared cache keeps pages longer than 5 s, then browsers may keep them 5 s', () => {
    expect(publicMaxAgeSeconds(30_000)).toBe(5);
  });

  it('when the shared cache keeps pages less, then browsers keep them no longer, in whole seconds', () => {
    expect(publicMaxAgeSeconds(3_500)).toBe(3);
    expect(publicMaxAgeSeconds(999)).toBe(0);
  });
});
