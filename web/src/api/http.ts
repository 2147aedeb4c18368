/**
 * The one way the portal calls a service: same origin, under /api/<service>/
 * (the gateway strips the prefix), JSON in and out, the service's stable error
 * code kept so a page can say what went wrong.
 */
export type ServiceName = 'registration' | 'activities' | 'lectures' | 'scoring' | 'notifications';

/** A page of a listing, as every service returns it (libs/http's PageOf). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken: string | null;
}

/** The services' error body (libs/errors). */
interface ErrorBody {
  readonly code?: string;
  readonly message?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Readonly<Record<string, string | number | undefined>>;

/** Where the signed-in person's access token comes from, once sign-in is wired. */
let accessToken: () => Promise<string | null> = () => Promise.resolve(null);
export function setAccessTokenSource(source: () => Promise<string | null>): void {
  accessToken = source;
}

export function pathWithQuery(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

export async function getJson<T>(
  service: ServiceName,
  path: string,
  query: Query = {},
  signal?: AbortSignal,
): Promise<T> {
  const token = await accessToken();
  const response = await fetch(`/api/${service}${pathWithQuery(path, query)}`, {
    headers: {
      accept: 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(signal === undefined ? {} : { signal }),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as ErrorBody;
    throw new ApiError(
      response.status,
      body.code ?? `HTTP_${response.status}`,
      body.message ?? response.statusText,
    );
  }
  return (await response.json()) as T;
}
