/**
 * The people who sign in at the local stack's OpenID provider: the officers
 * and demo people the banner's role tokens act as, each with a username and
 * the one demo password, and the claims libs/auth reads from their tokens.
 * The role tokens (role-tokens.ts) are minted from the same accounts, so a
 * token from the banner and one from signing in say the same.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { LocalTokenClaims } from './dev-token.js';

/** Every demo account's password: printed in the banner and the README, never a real one. */
export const DEMO_PASSWORD = 'xuexi-2026';

export interface DemoAccount {
  /** What the person types on the sign-in page. */
  readonly username: string;
  /** The shell variable of the banner's ready-made token, for the accounts that have one. */
  readonly tokenVariable?: string;
  /** What the account may do, for the banner. */
  readonly description: string;
  /** A display name for the portal's header (the ID token's `name`): a title, not a person's name. */
  readonly displayName: string;
  /** The token's subject and scope, as libs/auth's PrincipalInput says them. */
  readonly claims: Omit<LocalTokenClaims, 'expires' | 'service'>;
}

/** The demo's people the accounts act as; the organization only when the demo loaded one. */
export interface DemoAccountSubjects {
  readonly participant: string;
  /** Further demo readers who may sign in (registered by the notifications demo). */
  readonly otherParticipants?: readonly string[];
  readonly expert: string;
  /**
   * The generated city's people who registered with their own account (its
   * history's, who signed up for today's activities and mostly attended).
   */
  readonly residents?: readonly string[];
  readonly areaJurisdiction: { readonly code: string; readonly name: string };
  readonly department: { readonly code: string; readonly name: string };
  readonly organization?: { readonly id: string; readonly name: string };
}

/** The officers and people of the demo, in the banner's order. */
export function demoAccounts(subjects: DemoAccountSubjects): DemoAccount[] {
  const { participant, expert, areaJurisdiction, department, organization } = subjects;
  return [
    {
      username: 'city-admin',
      tokenVariable: 'CITY_ADMIN_TOKEN',
      description: 'city_admin, the whole city',
      displayName: '市学习办管理员',
      claims: { subject: 'local-city-admin', roles: ['city_admin'], cityWide: true },
    },
    {
      username: 'department-officer',
      tokenVariable: 'DEPARTMENT_OFFICER_TOKEN',
      description: `department_officer of ${department.name} (${department.code})`,
      displayName: `${department.name}工作人员`,
      claims: {
        subject: 'local-department-officer',
        roles: ['department_officer'],
        department: department.code,
      },
    },
    {
      username: 'area-officer',
      tokenVariable: 'AREA_OFFICER_TOKEN',
      description: `area_officer of ${areaJurisdiction.name} (${areaJurisdiction.code})`,
      displayName: `${areaJurisdiction.name}工作人员`,
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
            username: 'org-admin',
            tokenVariable: 'ORG_ADMIN_TOKEN',
            description: `org_admin of ${organization.name} (${organization.id})`,
            displayName: `${organization.name}管理员`,
            claims: {
              subject: 'local-org-admin',
              roles: ['org_admin'],
              organizations: [organization.id],
            },
          },
        ]),
    {
      username: participant,
      tokenVariable: 'PARTICIPANT_TOKEN',
      description: `participant ${participant}, a demo reader with an inbox`,
      displayName: '示范市居民',
      claims: { subject: participant, roles: ['participant'] },
    },
    ...(subjects.otherParticipants ?? []).map((subject) => ({
      username: subject,
      description: `participant ${subject}, a demo reader`,
      displayName: '示范市居民',
      claims: { subject, roles: ['participant'] },
    })),
    ...(subjects.residents ?? []).map((subject) => ({
      username: subject,
      description: `participant ${subject}, a resident of the generated city with a history`,
      displayName: '示范市居民',
      claims: { subject, roles: ['participant'] },
    })),
    {
      username: expert,
      tokenVariable: 'EXPERT_TOKEN',
      description: `expert ${expert} of the lecture series`,
      displayName: '玉海大讲坛专家',
      claims: { subject: expert, roles: ['expert'] },
    },
  ];
}

/** The `jur` entry that grants the whole city (libs/auth's CITY_WIDE). */
const CITY_WIDE = '*';

/**
 * The private claims libs/auth's `principalFromClaims` reads (roles, jur,
 * dept, orgs), written as its `claimsFromPrincipal` writes them: absent lists
 * are left out, the whole city is `jur: ['*']`. Not imported from libs/auth,
 * whose tests depend on this package.
 */
export function platformClaims(claims: DemoAccount['claims']): Record<string, unknown> {
  const jurisdictions = [
    ...(claims.jurisdictions ?? []),
    ...(claims.cityWide === true ? [CITY_WIDE] : []),
  ];
  const organizations = claims.organizations ?? [];
  return {
    roles: [...claims.roles],
    ...(jurisdictions.length === 0 ? {} : { jur: jurisdictions }),
    ...(claims.department === undefined ? {} : { dept: claims.department }),
    ...(organizations.length === 0 ? {} : { orgs: [...organizations] }),
  };
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The accounts the provider knows, found by username (signing in) and by
 * subject (tokens). The stack adds the organization's admin once the demo
 * city has loaded it, after the provider started.
 */
export class DemoAccountDirectory {
  readonly #byUsername = new Map<string, DemoAccount>();
  readonly #bySubject = new Map<string, DemoAccount>();
  readonly #passwordDigest: Buffer;

  constructor(accounts: readonly DemoAccount[] = [], password: string = DEMO_PASSWORD) {
    this.#passwordDigest = digest(password);
    for (const account of accounts) this.add(account);
  }

  /** Adds or replaces the account of that username. */
  add(account: DemoAccount): void {
    const previous = this.#byUsername.get(account.username);
    if (previous !== undefined) this.#bySubject.delete(previous.claims.subject);
    this.#byUsername.set(account.username, account);
    this.#bySubject.set(account.claims.subject, account);
  }

  bySubject(subject: string): DemoAccount | undefined {
    return this.#bySubject.get(subject);
  }

  list(): DemoAccount[] {
    return [...this.#byUsername.values()];
  }

  /**
   * The account when the username is known and the password right; the
   * password is compared in constant time, whether the username exists or not.
   */
  authenticate(username: string, password: string): DemoAccount | undefined {
    const passwordRight = timingSafeEqual(digest(password), this.#passwordDigest);
    const account = this.#byUsername.get(username.trim());
    return passwordRight ? account : undefined;
  }
}
