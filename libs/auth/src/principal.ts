/**
 * Who is acting, as every service sees it, and how it is carried in a JWT.
 */
import { AppError } from '@learning/errors';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const ROLES = [
  'city_admin',
  'department_officer',
  'area_officer',
  'org_admin',
  'participant',
  'expert',
  'service',
] as const;

export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  (ROLES as readonly unknown[]).includes(value);

/**
 * An authenticated identity. `jurisdictions` are the roots of the subtrees the
 * person may act in; `cityWide` says the whole city (city admins always, others
 * when granted `*`), so nobody has to know the city root's code to grant it.
 */
export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
  readonly cityWide: boolean;
  readonly jurisdictions: readonly string[];
  /** Department code, for department officers. */
  readonly department?: string;
  /** Ids of the learning organizations this person administers. */
  readonly organizations: readonly string[];
  /** Name of the calling service, for service identities. */
  readonly service?: string;
}

/** What an issuer needs to describe a principal; absent lists mean none. */
export interface PrincipalInput {
  subject: string;
  roles: readonly Role[];
  cityWide?: boolean;
  jurisdictions?: readonly string[];
  department?: string;
  organizations?: readonly string[];
  service?: string;
}

/** The `jur` value that grants the whole city. */
export const CITY_WIDE = '*';

/** The jurisdiction path of city-wide records (reference data, catalogues): city-wide readers see them. */
export const CITY_WIDE_PATH: readonly string[] = [CITY_WIDE];

export const TOKEN_MISSING = 'TOKEN_MISSING';
export const TOKEN_INVALID = 'TOKEN_INVALID';
export const TOKEN_EXPIRED = 'TOKEN_EXPIRED';
export const AUTH_UNAVAILABLE = 'AUTH_UNAVAILABLE';

const Code = Type.String({ minLength: 1, maxLength: 128 });

/** The platform's private claims; registered claims are checked by jose. */
const PlatformClaims = Type.Object({
  sub: Code,
  roles: Type.Array(Type.Union(ROLES.map((role) => Type.Literal(role))), {
    minItems: 1,
    maxItems: ROLES.length,
  }),
  jur: Type.Optional(Type.Array(Code, { maxItems: 1000 })),
  dept: Type.Optional(Code),
  orgs: Type.Optional(Type.Array(Code, { maxItems: 1000 })),
  svc: Type.Optional(Code),
});

export type PlatformClaims = Static<typeof PlatformClaims>;

export const invalidToken = (message: string, cause?: unknown): AppError =>
  new AppError('unauthenticated', TOKEN_INVALID, message, cause === undefined ? {} : { cause });

/** Turns verified claims into a principal, refusing anything malformed or unknown. */
export function principalFromClaims(claims: unknown): Principal {
  if (!Value.Check(PlatformClaims, claims)) {
    throw invalidToken(
      'The access token does not describe a valid identity. Please sign in again.',
    );
  }
  const roles = [...new Set(claims.roles)];
  const isService = roles.includes('service');
  if (isService !== (claims.svc !== undefined)) {
    throw invalidToken(
      'The access token does not describe a valid identity. Please sign in again.',
    );
  }
  const jur = claims.jur ?? [];
  // Service methods (directory streams, seat counts) serve the whole city and read no scope;
  // a narrowed service token would be trusted with more than it says, so none is accepted.
  if (
    isService &&
    (jur.some((code) => code !== CITY_WIDE) ||
      claims.dept !== undefined ||
      (claims.orgs ?? []).length > 0)
  ) {
    throw invalidToken(
      'Service tokens act for the whole city: this one is limited to jurisdictions, a department or organizations, which services do not honour. Ask for an unscoped service token.',
    );
  }
  const principal: Principal = {
    subject: claims.sub,
    roles,
    cityWide: roles.includes('city_admin') || jur.includes(CITY_WIDE),
    jurisdictions: jur.filter((code) => code !== CITY_WIDE),
    organizations: claims.orgs ?? [],
    ...(claims.dept === undefined ? {} : { department: claims.dept }),
    ...(claims.svc === undefined ? {} : { service: claims.svc }),
  };
  return Object.freeze(principal);
}

/** The private claims an issuer writes for `input` (`sub` is set separately by jose). */
export function claimsFromPrincipal(input: PrincipalInput): Omit<PlatformClaims, 'sub'> {
  const jurisdictions = [...(input.jurisdictions ?? [])];
  if (input.cityWide === true && !jurisdictions.includes(CITY_WIDE)) jurisdictions.push(CITY_WIDE);
  return {
    roles: [...input.roles],
    ...(jurisdictions.length === 0 ? {} : { jur: jurisdictions }),
    ...(input.department === undefined ? {} : { dept: input.department }),
    ...(input.organizations === undefined || input.organizations.length === 0
      ? {}
      : { orgs: [...input.organizations] }),
    ...(input.service === undefined ? {} : { svc: input.service }),
  };
}
