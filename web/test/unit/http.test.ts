import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, getJson, pathWithQuery, setAccessTokenSource } from '../../src/api/http.js';

describe("the portal's API client", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setAccessTokenSource(() => Promise.resolve(null));
  });

  it('when a filter has empty parts, then only the given ones reach the query, Chinese encoded', () => {
    expect(
      pathWithQuery('/v1/public/activities', { q: '读书', tier: undefined, category: '' }),
    ).toBe('/v1/public/activities?q=%E8%AF%BB%E4%B9%A6');
  });

  it('when a visitor asks, then the request goes to /api/<service>/ with no Authorization', async () => {
    const fetch = vi.fn(() => Promise.resolve(Response.json({ items: [], nextPageToken: null })));
    vi.stubGlobal('fetch', fetch);
    await getJson('lectures', '/v1/public/sessions', { q: '宋韵' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/lectures/v1/public/sessions?q=%E5%AE%8B%E9%9F%B5');
    expect(new Headers(init.headers).has('authorization')).toBe(false);
  });

  it('when someone is signed in, then their access token goes as Bearer', async () => {
    const fetch = vi.fn(() => Promise.resolve(Response.json({})));
    vi.stubGlobal('fetch', fetch);
    setAccessTokenSource(() => Promise.resolve('token-1'));
    await getJson('registration', '/v1/me/enrollments');
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer token-1');
  });

  it('when the service refuses, then its stable code and status come with the error', async () => {
    vi.stubGlobal('fetch', () =>
      Promise.resolve(
        Response.json(
          { code: 'ACTIVITY_NOT_FOUND', message: 'No such activity.' },
          { status: 404 },
        ),
      ),
    );
    const failure = await getJson('activities', '/v1/public/activities/x').catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 404, code: 'ACTIVITY_NOT_FOUND' });
  });

  it('when a gateway answers without JSON, then the error still has a code', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('Bad Gateway', { status: 502 })));
    await expect(getJson('scoring', '/v1/public/awards')).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_502',
    });
  });
});
