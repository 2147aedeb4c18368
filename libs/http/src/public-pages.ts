/** The OpenAPI tag of every route anyone may call without a token. */
export const PUBLIC_PORTAL_TAG = 'public portal';

/** Browsers and proxies may keep a public page this long; the shared cache is invalidated sooner. */
const PUBLIC_MAX_AGE_SECONDS = 5;

/** The max-age of a public page: 5 s, or less when the shared cache keeps pages less. */
export const publicMaxAgeSeconds = (cacheTtlMs: number): number =>
  Math.min(PUBLIC_MAX_AGE_SECONDS, Math.floor(cacheTtlMs / 1000));

/** The part of a page cache the public routes use (`PublicPageCache` of @learning/redis). */
export interface CachedPages {
  through(key: string, render: () => Promise<string>): Promise<{ page: string; hit: boolean }>;
}

/** What a public route does with its reply (fastify's reply fits). */
interface PageReply {
  header(name: string, value: string): PageReply;
  type(contentType: string): PageReply;
  send(payload: unknown): PageReply;
}

/** One cache key per distinct query: the route and its parameters in name order. */
export function publicPageKey(route: string, query: Record<string, unknown> = {}): string {
  const params = Object.entries(query)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]): [string, string] => [name, String(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${route}?${new URLSearchParams(params).toString()}`;
}

/**
 * Sends a public page from the shared cache, else renders it (a render that
 * throws answers with its error, and errors are never cached), saying whether
 * it was cached (x-cache) and how long anyone may keep it.
 */
export function publicPageSender(pages: CachedPages, maxAgeSeconds: number) {
  return async (reply: PageReply, key: string, render: () => Promise<unknown>): Promise<void> => {
    const { page, hit } = await pages.through(key, async () => JSON.stringify(await render()));
    reply
      .header('x-cache', hit ? 'hit' : 'miss')
      .header('cache-control', `public, max-age=${maxAgeSeconds}`)
      .type('application/json; charset=utf-8')
      .send(page);
  };
}
