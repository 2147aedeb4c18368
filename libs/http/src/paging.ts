/** The one shape of a paged list across the platform's REST APIs. */
import { Type, type TSchema } from '@sinclair/typebox';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/** Spread into a route's querystring object. */
export const pageQueryFields = {
  pageSize: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
  ),
  pageToken: Type.Optional(
    Type.String({ minLength: 1, maxLength: 2048, description: 'nextPageToken of the last page.' }),
  ),
};

/** `{ items, nextPageToken }`; the token is null on the last page. */
export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextPageToken: Type.Union([Type.String(), Type.Null()], {
      description: 'Null on the last page; otherwise pass it back as pageToken.',
    }),
  });

/** A query's filters apart from its page, the page with the default size. */
export function splitPage<Q extends { pageSize?: number; pageToken?: string }>(query: Q) {
  const { pageSize, pageToken, ...filters } = query;
  const page = {
    pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
    ...(pageToken === undefined ? {} : { pageToken }),
  };
  return { filters, page };
}
