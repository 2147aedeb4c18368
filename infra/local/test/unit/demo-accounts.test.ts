import { describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  DemoAccountDirectory,
  demoAccounts,
  platformClaims,
} from '../../src/demo-accounts.js';
import { errorPage, loginPage, logoutPage } from '../../src/oidc-pages.js';

const SUBJECTS = {
  participant: 'demo-reader-01',
  otherParticipants: ['demo-reader-02', 'demo-reader-03'],
  expert: 'demo-expert-01',
  areaJurisdiction: { code: '330999101000', name: '河姆渡镇' },
  department: { code: 'wenming-ban', name: '文明办' },
};

describe('demo accounts', () => {
  it("map to exactly the platform's claims: the whole city as jur *, areas, a department, organizations", () => {
    const byUsername = new Map(
      demoAccounts({ ...SUBJECTS, organization: { id: 'org-7', name: '读书会' } }).map(
        (account) => [account.username, platformClaims(account.claims)],
      ),
    );
    expect(Object.fromEntries(byUsername)).toEqual({
      'city-admin': { roles: ['city_admin'], jur: ['*'] },
      'department-officer': { roles: ['department_officer'], dept: 'wenming-ban' },
      'area-officer': { roles: ['area_officer'], jur: ['330999101000'] },
      'org-admin': { roles: ['org_admin'], orgs: ['org-7'] },
      'demo-reader-01': { roles: ['participant'] },
      'demo-reader-02': { roles: ['participant'] },
      'demo-reader-03': { roles: ['participant'] },
      'demo-expert-01': { roles: ['expert'] },
    });
  });

  it('have a banner token each but the further readers, and no organization admin before the demo city loaded one', () => {
    const accounts = demoAccounts(SUBJECTS);
    expect(accounts.map((account) => account.username)).not.toContain('org-admin');
    expect(accounts.filter((account) => account.tokenVariable !== undefined)).toHaveLength(5);
  });

  it("give the generated city's self-registered people participant accounts under their own subjects", () => {
    const accounts = demoAccounts({ ...SUBJECTS, residents: ['demo-city-7-3', 'demo-city-7-9'] });
    const resident = accounts.find((account) => account.username === 'demo-city-7-9');
    expect(resident?.claims).toEqual({ subject: 'demo-city-7-9', roles: ['participant'] });
    expect(resident?.tokenVariable).toBeUndefined();
  });

  it('let a person in with the demo password only, the same answer for an unknown user as for a wrong password', () => {
    const directory = new DemoAccountDirectory(demoAccounts(SUBJECTS));
    expect(directory.authenticate('area-officer', DEMO_PASSWORD)?.claims.subject).toBe(
      'local-area-officer',
    );
    expect(directory.authenticate(' area-officer ', DEMO_PASSWORD)?.claims.subject).toBe(
      'local-area-officer',
    );
    expect(directory.authenticate('area-officer', `${DEMO_PASSWORD} `)).toBeUndefined();
    expect(directory.authenticate('area-officer', '')).toBeUndefined();
    expect(directory.authenticate('nobody', DEMO_PASSWORD)).toBeUndefined();
    expect(directory.bySubject('local-city-admin')?.username).toBe('city-admin');
  });

  it('are replaced by username, the old subject forgotten', () => {
    const directory = new DemoAccountDirectory(demoAccounts(SUBJECTS));
    const [first, second] = demoAccounts({ ...SUBJECTS, organization: { id: 'a', name: 'A' } })
      .concat(demoAccounts({ ...SUBJECTS, organization: { id: 'b', name: 'B' } }))
      .filter((account) => account.username === 'org-admin');
    if (first === undefined || second === undefined) throw new Error('no org-admin accounts');
    directory.add(first);
    directory.add(second);
    expect(directory.list().filter((account) => account.username === 'org-admin')).toEqual([
      second,
    ]);
    expect(
      platformClaims(directory.bySubject('local-org-admin')?.claims ?? { subject: '', roles: [] }),
    ).toEqual({
      roles: ['org_admin'],
      orgs: ['b'],
    });
  });
});

describe("the provider's pages", () => {
  it('label every field, say what went wrong in Chinese and English, and escape what was typed', () => {
    const html = loginPage({
      action: '/oidc/interaction/abc/login',
      clientName: '学习网',
      username: '"><script>alert(1)</script>',
      problem: { zh: '用户名或密码不正确', en: 'Wrong username or password' },
    });
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<label for="username">');
    expect(html).toContain('<label for="password">');
    expect(html).toContain('role="alert"');
    expect(html).toContain('aria-describedby="sign-in-problem"');
    expect(html).toContain('Wrong username or password');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('ask before signing out, with the form the provider gave', () => {
    const html = logoutPage('<form id="op.logoutForm" method="post"></form>', '学习网');
    expect(html).toContain('确定要退出学习网吗');
    expect(html).toContain('form="op.logoutForm" name="logout" value="yes"');
  });

  it('escape what a client sent into an error', () => {
    expect(errorPage('invalid_request', '<img src=x>')).toContain('&lt;img src=x&gt;');
  });
});
