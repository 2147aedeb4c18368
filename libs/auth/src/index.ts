export {
  ROLES,
  CITY_WIDE,
  CITY_WIDE_PATH,
  TOKEN_MISSING,
  TOKEN_INVALID,
  TOKEN_EXPIRED,
  AUTH_UNAVAILABLE,
  isRole,
  principalFromClaims,
  claimsFromPrincipal,
  type Role,
  type Principal,
  type PrincipalInput,
  type PlatformClaims,
} from './principal.js';
export {
  createTokenVerifier,
  ALLOWED_ALGORITHMS,
  DEFAULT_MAX_LIFETIME_SECONDS,
  type TokenLifetimes,
  type TokenAlgorithm,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './verifier.js';
export {
  createLocalIssuer,
  type LocalIssuer,
  type LocalIssuerOptions,
  type SignOptions,
} from './local-issuer.js';
export {
  hasRole,
  requireRole,
  mayActIn,
  bearerToken,
  ROLE_REQUIRED,
  OFFICER_ROLES,
  ORGANIZER_ROLES,
} from './scope.js';
export { Scope, scopeAllows, type Reach, type ScopeDescription } from './jurisdiction-scope.js';
export {
  clientCredentialsTokens,
  tokenUrlProblem,
  SERVICE_TOKEN_UNAVAILABLE,
  type ClientCredentialsOptions,
} from './client-credentials.js';
export {
  serviceCredentialsEnv,
  serviceCredentialsProblems,
  serviceTokenProvider,
  type ServiceCredentialsConfig,
} from './service-credentials.js';
