/**
 * One origin for the portal and the APIs, as the production Ingress gives
 * (k8s/overlays/production/ingress.yaml): the built portal at /, each
 * service's REST API under /api/<service>/ with the prefix cut, and the
 * local OpenID provider under /oidc/. The browser never needs CORS.
 */
import fastifyHttpProxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { PORTAL_DIST } from './portal.js';

export interface GatewayOptions {
  /** Each service's base URL, by its name in /api/<name>/. */
  readonly services: Readonly<Record<string, string>>;
  /** The local OpenID provider; a request to /oidc/ while it is down answers 503. */
  readonly oidcUrl: string;
  readonly host?: string;
  /** 0 for any free port (tests). */
  readonly port: number;
  /** The built portal; web/dist by default. */
  readonly root?: string;
}

export interface Gateway {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const app: FastifyInstance = Fastify({ logger: false });
  for (const [name, upstream] of Object.entries(options.services))
    await app.register(fastifyHttpProxy, {
      upstream,
      prefix: `/api/${name}`,
      rewritePrefix: '',
      replyOptions: { rewriteRequestHeaders: forwardedHeaders },
    });
  await app.register(fastifyHttpProxy, {
    upstream: options.oidcUrl,
    prefix: '/oidc',
    // The provider is mounted at /oidc, so the URLs it writes (issuer, endpoints) are the browser's.
    rewritePrefix: '/oidc',
    replyOptions: { rewriteRequestHeaders: forwardedHeaders },
  });
  await app.register(fastifyStatic, {
    root: options.root ?? PORTAL_DIST,
    // Hashed bundles never change under their name; index.html must be fetched fresh.
    setHeaders: (reply, path) => {
      reply.header(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  // The portal routes in the browser (history mode): an unknown page path gets index.html.
  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' &&
      !request.url.startsWith('/api/') &&
      (request.headers.accept ?? '').includes('text/html');
    if (wantsPage) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return reply.code(404).send({ code: 'NOT_FOUND', message: 'Nothing here.' });
  });
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port });
  return { url: address, stop: () => app.close() };
}

/** Who asked and at which address, for the service's rate limits and the provider's URLs. */
function forwardedHeaders(
  request: { ip: string; host: string; protocol: string },
  headers: IncomingHttpHeaders,
): IncomingHttpHeaders {
  return {
    ...headers,
    'x-forwarded-for': request.ip,
    'x-forwarded-host': request.host,
    'x-forwarded-proto': request.protocol,
  };
}
