/**
 * Ready-made tokens for the local stack, one per role a person plays, each
 * scoped to something the demo loaded, written to a file the shell can
 * source (owner-only, like the signing key): the banner names them so the
 * first curl needs no token command.
 */
import { signLocalToken, RUN_DIRECTORY, type LocalTokenClaims } from './dev-token.js';
import { writePrivateFile } from './private-file.js';

export const ROLE_TOKENS_FILE = `${RUN_DIRECTORY}tokens.env`;
/** Long enough for a working day with the stack. */
export const ROLE_TOKEN_LIFETIME = '12h';

export interface RoleToken {
  /** The shell variable the file sets. */
  readonly variable: string;
  /** What the token may do, for the banner. */
  readonly description: string;
  readonly token: string;
}

/** The demo's people the tokens act as; the organization only when the demo loaded one. */
export interface RoleTokenSubjects {
  readonly participant: string;
  readonly expert: string;
  readonly areaJurisdiction: { readonly code: string; readonly name: string };
  readonly department: { readonly code: string; readonly name: string };
  readonly organization?: { readonly id: string; readonly name: string };
}

export async function roleTokens(subjects: RoleTokenSubjects): Promise<RoleToken[]> {
  const { participant, expert, areaJurisdiction, department, organization } = subjects;
  const specs: { variable: string; description: string; claims: LocalTokenClaims }[] = [
    {
      variable: 'CITY_ADMIN_TOKEN',
      description: 'city_admin, the whole city',
      claims: { subject: 'local-city-admin', roles: ['city_admin'], cityWide: true },
    },
    {
      variable: 'DEPARTMENT_OFFICER_TOKEN',
      description: `department_officer of ${department.name} (${department.code})`,
      claims: {
        subject: 'local-department-officer',
        roles: ['department_officer'],
        department: department.code,
      },
    },
    {
      variable: 'AREA_OFFICER_TOKEN',
      description: `area_officer of ${areaJurisdiction.name} (${areaJurisdiction.code})`,
      claims: {
        subject: 'local-area-officer',
        roles: ['area_officer'],
        jurisdictions: [areaJurisdiction.code],
      },
    },
    ...(organization === undefined
      ? []
      : [
          {
            variable: 'ORG_ADMIN_TOKEN',
            description: `org_admin of ${organization.name} (${organization.id})`,
            claims: {
              subject: 'local-org-admin',
              roles: ['org_admin'],
              organizations: [organization.id],
            },
          },
        ]),
    {
      variable: 'PARTICIPANT_TOKEN',
      description: `participant ${participant}, a demo reader with an inbox`,
      claims: { subject: participant, roles: ['participant'] },
    },
    {
      variable: 'EXPERT_TOKEN',
      description: `expert ${expert} of the lecture series`,
      claims: { subject: expert, roles: ['expert'] },
    },
  ];
  return Promise.all(
    specs.map(async ({ variable, description, claims }) => ({
      variable,
      description,
      token: await signLocalToken({ ...claims, expires: ROLE_TOKEN_LIFETIME }),
    })),
  );
}

/** Writes `export NAME=token` lines, so `source` puts them in the shell. */
export function writeRoleTokens(tokens: readonly RoleToken[], file = ROLE_TOKENS_FILE): void {
  writePrivateFile(
    file,
    tokens.map(({ variable, token }) => `export ${variable}=${token}\n`).join(''),
  );
}
