import { createGrpcClient } from '@learning/grpc';
import { registration } from '@learning/proto';
import {
  captureLogger,
  describeWithServers,
  eventually,
  jurisdictionTree,
  rejectionOf,
} from '@learning/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESPONSIBILITY_TABLE, DEPARTMENTS, rowsOf } from '../../src/domain/departments.js';
import { useRegistrationApp } from '../support/app.js';
import { seedJurisdictions } from '../support/http.js';

const VILLAGE = '330281001001';

interface TableBody {
  rows: { kind: string; lead: string; coResponsible: string[] }[];
  version: number;
  updatedBy: string | null;
}

interface Refusal {
  code: string;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'registration departments', (servers) => {
  const running = useRegistrationApp(servers);
  let admin: string;
  let officer: string;
  let applicant: string;

  beforeAll(async () => {
    admin = await running.issuer.sign({ subject: 'admin-1', roles: ['city_admin'] });
    officer = await running.issuer.sign({
      subject: 'officer-1',
      roles: ['area_officer'],
      cityWide: true,
    });
    applicant = await running.issuer.sign({ subject: 'applicant-1', roles: ['org_admin'] });
    await seedJurisdictions(
      running.base,
      admin,
      jurisdictionTree({ townships: 1, villagesPerTownship: 1 }),
    );
  });

  const send = running.send;

  async function registerFamily(): Promise<{ id: string; leadDepartment: string }> {
    const response = await send('POST', '/v1/organizations', applicant, {
      kind: 'family',
      name: '王家',
      jurisdictionCode: VILLAGE,
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; leadDepartment: string };
  }

  const defaultRows = rowsOf(DEFAULT_RESPONSIBILITY_TABLE);
  /** The family row moved from 妇联 to 文明办, which therefore leaves its co-owners. */
  const editedRows = defaultRows.map((row) =>
    row.kind === 'family'
      ? { kind: 'family', lead: 'wenming-ban', coResponsible: ['fulian', 'jiaoyu-ju'] }
      : row,
  );

  describe('reading', () => {
    it('when anyone signed in lists the departments, then all 22 come with what they lead and co-own', async () => {
      const response = await send('GET', '/v1/departments', applicant);
      const { items } = (await response.json()) as {
        items: { code: string; name: string; leads: string[]; coOwns: string[] }[];
      };

      expect(response.status).toBe(200);
      expect(items).toHaveLength(22);
      expect(items.find((department) => department.code === 'wenming-ban')).toEqual({
        code: 'wenming-ban',
        name: '文明办',
        leads: ['community'],
        coOwns: ['family'],
      });
    });

    it('when no table was ever stored, then the policy defaults come back as version 1', async () => {
      const response = await send('GET', '/v1/department-table', applicant);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        rows: defaultRows,
        version: 1,
        updatedBy: null,
        updatedAt: null,
      });
    });
  });

  describe('replacing', () => {
    it('when an area officer replaces the table, then 403 ROLE_REQUIRED', async () => {
      const response = await send('PUT', '/v1/department-table', officer, {
        version: 1,
        rows: editedRows,
      });

      expect(response.status).toBe(403);
      expect(((await response.json()) as Refusal).code).toBe('ROLE_REQUIRED');
    });

    const invalid: [string, unknown, string][] = [
      [
        'a kind has no row',
        { version: 1, rows: defaultRows.slice(1) },
        'DEPARTMENT_TABLE_MISSING_KIND',
      ],
      [
        'public institutions get a row of their own',
        {
          version: 1,
          rows: [
            ...defaultRows,
            { kind: 'public_institution', lead: 'renshi-ju', coResponsible: [] },
          ],
        },
        'DEPARTMENT_TABLE_UNKNOWN_KIND',
      ],
      [
        'a department is unknown',
        { version: 1, rows: defaultRows.map((row) => ({ ...row, lead: 'no-such-bureau' })) },
        'DEPARTMENT_TABLE_UNKNOWN_DEPARTMENT',
      ],
      [
        'a key starts with $',
        { version: 1, rows: defaultRows, $set: { version: 9 } },
        'FORBIDDEN_KEY',
      ],
      ['an unknown field', { version: 1, rows: defaultRows, by: 'me' }, 'VALIDATION_FAILED'],
      [
        'a huge department code',
        { version: 1, rows: [{ kind: 'family', lead: 'x'.repeat(10_000), coResponsible: [] }] },
        'VALIDATION_FAILED',
      ],
      ['no version', { rows: defaultRows }, 'VALIDATION_FAILED'],
    ];
    for (const [what, body, code] of invalid) {
      it(`when ${what}, then 400 ${code}`, async () => {
        const response = await send('PUT', '/v1/department-table', admin, body);

        expect(response.status).toBe(400);
        expect(((await response.json()) as Refusal).code).toBe(code);
      });
    }

    it('when the city admin moves the family lead, then new families follow the new table and earlier ones keep theirs', async () => {
      const before = await registerFamily();

      const response = await send('PUT', '/v1/department-table', admin, {
        version: 1,
        rows: editedRows,
        reason: '按新文件调整',
      });
      const after = await registerFamily();
      const reread = await send('GET', `/v1/organizations/${before.id}`, admin);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        rows: editedRows,
        version: 2,
        updatedBy: 'admin-1',
      });
      expect(before.leadDepartment).toBe('fulian');
      expect(after.leadDepartment).toBe('wenming-ban');
      expect(((await reread.json()) as { leadDepartment: string }).leadDepartment).toBe('fulian');
    });

    it('when someone replaces the table from a version that is no longer current, then 409 VERSION_CONFLICT', async () => {
      const response = await send('PUT', '/v1/department-table', admin, {
        version: 1,
        rows: defaultRows,
      });

      expect(response.status).toBe(409);
      expect(((await response.json()) as Refusal).code).toBe('VERSION_CONFLICT');
      const current = (await (
        await send('GET', '/v1/department-table', admin)
      ).json()) as TableBody;
      expect(current.version).toBe(2);
    });

    it('when the city admin reads the audit log, then the replacement is there with the rows before and after', async () => {
      const entry = await eventually('the audit record', async () => {
        const response = await send('GET', '/v1/audit-log?entityType=department_table', admin);
        const { items } = (await response.json()) as {
          items: { action: string; reason: string | null; before: TableBody; after: TableBody }[];
        };
        return items[0];
      });

      expect(entry).toMatchObject({
        action: 'department_table.replace',
        reason: '按新文件调整',
        before: { version: 1, rows: defaultRows },
        after: { version: 2, rows: editedRows },
      });
    });
  });

  describe('over gRPC', () => {
    const directoryAs = (service: string | null) =>
      createGrpcClient(registration.OrganizationDirectoryServiceClient, {
        address: `127.0.0.1:${running.ports.grpcPort}`,
        logger: captureLogger('department-directory').logger,
        idempotentMethods: ['getDepartments'],
        deadlineMs: 5_000,
        ...(service === null
          ? {}
          : {
              tokenProvider: () =>
                running.issuer.sign({ subject: `svc-${service}`, roles: ['service'], service }),
            }),
      });

    it('when a service asks for the departments, then it gets every department with its code and name', async () => {
      const directory = directoryAs('activities');
      try {
        const { departments } = await directory.call.getDepartments({});
        expect(departments).toEqual(DEPARTMENTS.map(({ code, name }) => ({ code, name })));
        expect(departments.map((department) => department.code)).toContain('jiaoyu-ju');
      } finally {
        directory.close();
      }
    });

    it('when a caller has no service token, then the departments are refused', async () => {
      const directory = directoryAs(null);
      try {
        expect(await rejectionOf(directory.call.getDepartments({}))).toMatchObject({
          kind: 'unauthenticated',
        });
      } finally {
        directory.close();
      }
    });
  });
});
