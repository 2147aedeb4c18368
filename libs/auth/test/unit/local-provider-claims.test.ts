/**
 * The local OpenID provider (infra/local) writes the platform's claims by hand,
 * since this package's tests depend on it: here they are held to what this
 * package writes and reads, for every demo account people sign in with.
 */
import { demoAccounts, platformClaims } from '@learning/local-infra';
import { describe, expect, it } from 'vitest';
import { claimsFromPrincipal, principalFromClaims, type PrincipalInput } from '../../src/index.js';

const accounts = demoAccounts({
  participant: 'demo-reader-01',
  otherParticipants: ['demo-reader-02'],
  expert: 'demo-expert-01',
  areaJurisdiction: { code: '330999101000', name: '河姆渡镇' },
  department: { code: 'wenming-ban', name: '文明办' },
  organization: { id: 'org-1', name: '读书会' },
});

describe("the local OpenID provider's claims", () => {
  it.each(accounts.map((account) => [account.username, account] as const))(
    '%s: the claims are those claimsFromPrincipal writes, and read back to the same principal',
    (_username, account) => {
      const input = account.claims as PrincipalInput;
      const claims = platformClaims(account.claims);
      expect(claims).toEqual(claimsFromPrincipal(input));

      const principal = principalFromClaims({ sub: account.claims.subject, ...claims });
      expect(principal).toEqual({
        subject: account.claims.subject,
        roles: account.claims.roles,
        cityWide: account.claims.cityWide === true,
        jurisdictions: account.claims.jurisdictions ?? [],
        organizations: account.claims.organizations ?? [],
        ...(account.claims.department === undefined
          ? {}
          : { department: account.claims.department }),
      });
    },
  );

  it('covers an officer of every kind and a person', () => {
    const roles = accounts.flatMap((account) => account.claims.roles);
    for (const role of [
      'city_admin',
      'department_officer',
      'area_officer',
      'org_admin',
      'participant',
      'expert',
    ])
      expect(roles).toContain(role);
  });
});
