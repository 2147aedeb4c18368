import {
  bearerToken,
  requireRole,
  TOKEN_MISSING,
  type Principal,
  type TokenVerifier,
} from '@learning/auth';
import { AppError } from '@learning/errors';
import { runWithContext } from '@learning/logger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { contextOf } from './context.js';
import type { AuthMode } from './route-config.js';

/** The principal of a route declared `auth: 'required'`; throws 401 where there is none. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) {
    throw new AppError(
      'unauthenticated',
      TOKEN_MISSING,
      'Please sign in: this request needs an access token.',
    );
  }
  return request.principal;
}

async function authenticate(
  request: FastifyRequest,
  verifier: TokenVerifier,
  defaultMode: AuthMode,
): Promise<void> {
  const config = request.routeOptions.config;
  // An unknown path is a 404 for everyone: asking for a token first would only hide that.
  const mode = request.is404 ? 'none' : (config.auth ?? defaultMode);
  if (mode === 'none') return;
  const token = bearerToken(request.headers.authorization);
  if (token === undefined && mode === 'optional') return;
  const principal = await verifier.verify(token);
  request.principal = principal;
  if (config.roles !== undefined && config.roles.length > 0)
    requireRole(principal, ...config.roles);
}

/**
 * Checks each route's declaration once, at registration, so a route that asks
 * for roles on a public endpoint or for tokens no verifier can check fails
 * the process at start instead of at the first request.
 */
export function installAuthentication(
  app: FastifyInstance,
  verifier: TokenVerifier | undefined,
): void {
  const defaultMode: AuthMode = verifier === undefined ? 'none' : 'required';

  app.decorateRequest('principal', undefined);

  app.addHook('onRoute', (route) => {
    const mode = route.config?.auth ?? defaultMode;
    const where = `${String(route.method)} ${route.url}`;
    if (mode !== 'none' && verifier === undefined) {
      throw new Error(
        `Route ${where} declares auth '${mode}' but the server has no token verifier.`,
      );
    }
    if ((route.config?.roles?.length ?? 0) > 0 && mode !== 'required') {
      throw new Error(`Route ${where} declares roles, which need auth 'required'.`);
    }
    // Tell OpenAPI readers which operations take a bearer token.
    if (mode !== 'none') {
      const security: Record<string, string[]>[] =
        mode === 'required' ? [{ bearerAuth: [] }] : [{}, { bearerAuth: [] }];
      route.schema = { ...route.schema, security };
    }
  });

  if (verifier === undefined) return;
  app.addHook('onRequest', (request, _reply, done) => {
    authenticate(request, verifier, defaultMode).then(() => {
      // Re-enter the context so every later line names the actor.
      runWithContext(contextOf(request), done);
    }, done);
  });
}
