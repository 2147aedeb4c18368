/** OpenAPI 3 at /openapi.json, Swagger UI at /docs, and the security headers around both. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { documentOperation, ERROR_SCHEMA_NAME, errorSchema } from './openapi.js';

export interface OpenApiInfo {
  title: string;
  description?: string;
}

/** JSON answers load nothing: the strictest policy fits them. */
const API_CSP = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/**
 * The UI page loads only its own scripts and styles; Swagger UI sets inline
 * styles on elements and shows its logo as a data: image. No
 * upgrade-insecure-requests: the local stack serves plain HTTP.
 */
const DOCS_CSP = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
};

/** What every answer but the UI's carries: helmet's defaults under the API's policy. */
export const API_HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
};

/**
 * The headers helmet's middleware sets with `options`, recorded once: they
 * depend on nothing in the request, and setting them per request through the
 * middleware means a dozen validated raw `setHeader` calls on every answer.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), String(value));
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return Object.fromEntries(headers);
}

export async function installDocs(
  app: FastifyInstance,
  options: { info: OpenApiInfo; version: string },
): Promise<void> {
  const securityHeaders = helmetHeaders(API_HELMET_OPTIONS);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.info.title,
        version: options.version,
        ...(options.info.description === undefined
          ? {}
          : { description: options.info.description }),
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        schemas: { [ERROR_SCHEMA_NAME]: errorSchema },
      },
    },
    transform: documentOperation,
  });

  app.get(
    '/openapi.json',
    { config: { auth: 'none', idempotency: 'off' }, schema: { hide: true } },
    () => app.swagger(),
  );

  await app.register(async (docs) => {
    // The UI's own routes are public pages, whatever the server's default.
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, auth: 'none', rateLimit: false };
    });
    await docs.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
  });
}
