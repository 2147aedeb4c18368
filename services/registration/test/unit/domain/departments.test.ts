import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESPONSIBILITY_TABLE,
  DEPARTMENTS,
  ORGANIZATION_KINDS,
  parseResponsibilityTable,
  responsibilitiesOf,
  routeOrganization,
  rowsOf,
  type ResponsibilityRow,
} from '../../../src/domain/departments.js';

const nameOf = (code: string) => DEPARTMENTS.find((department) => department.code === code)?.name;
const namesOf = (codes: readonly string[]) => codes.map(nameOf);

const defaultRows: ResponsibilityRow[] = Object.entries(DEFAULT_RESPONSIBILITY_TABLE).map(
  ([kind, row]) => ({ kind, ...row }),
);

describe('DEPARTMENTS', () => {
  it('when listed, then codes are unique and all 22 departments of the policy are present', () => {
    expect(new Set(DEPARTMENTS.map((department) => department.code)).size).toBe(22);
    expect(DEPARTMENTS).toHaveLength(22);
  });
});

describe('routeOrganization with the default table', () => {
  it('when an agency registers, then 市直机关工委 leads with 组织部, 宣传部, 人事局', () => {
    const route = routeOrganization('agency', DEFAULT_RESPONSIBILITY_TABLE);
    expect(nameOf(route.lead)).toBe('市直机关工委');
    expect(namesOf(route.coResponsible)).toEqual(['组织部', '宣传部', '人事局']);
  });

  it('when a public institution registers, then it follows the agency routing', () => {
    expect(routeOrganization('public_institution', DEFAULT_RESPONSIBILITY_TABLE)).toEqual(
      routeOrganization('agency', DEFAULT_RESPONSIBILITY_TABLE),
    );
  });

  it('when an enterprise registers, then 经贸局 leads with its nine co-owners', () => {
    const route = routeOrganization('enterprise', DEFAULT_RESPONSIBILITY_TABLE);
    expect(nameOf(route.lead)).toBe('经贸局');
    expect(namesOf(route.coResponsible)).toEqual([
      '总工会',
      '教育局',
      '科技局',
      '劳动和社会保障局',
      '文化广电新闻出版局',
      '卫生局',
      '体育局',
      '工商局',
      '国资委',
    ]);
  });

  it('when a community registers, then 文明办 leads with its eleven co-owners', () => {
    const route = routeOrganization('community', DEFAULT_RESPONSIBILITY_TABLE);
    expect(nameOf(route.lead)).toBe('文明办');
    expect(namesOf(route.coResponsible)).toEqual([
      '教育局',
      '民政局',
      '司法局',
      '文化广电新闻出版局',
      '卫生局',
      '体育局',
      '总工会',
      '团市委',
      '妇联',
      '老龄委',
      '关工委',
    ]);
  });

  it('when a village or town registers, then 农办 leads with its seven co-owners', () => {
    const route = routeOrganization('village_town', DEFAULT_RESPONSIBILITY_TABLE);
    expect(nameOf(route.lead)).toBe('农办');
    expect(namesOf(route.coResponsible)).toEqual([
      '组织部',
      '宣传部',
      '教育局',
      '民政局',
      '文化广电新闻出版局',
      '团市委',
      '妇联',
    ]);
  });

  it('when a family registers, then 妇联 leads with 文明办, 教育局, 民政局', () => {
    const route = routeOrganization('family', DEFAULT_RESPONSIBILITY_TABLE);
    expect(nameOf(route.lead)).toBe('妇联');
    expect(namesOf(route.coResponsible)).toEqual(['文明办', '教育局', '民政局']);
  });

  it('when any kind is routed, then every department named is a known one', () => {
    for (const kind of ORGANIZATION_KINDS) {
      const route = routeOrganization(kind, DEFAULT_RESPONSIBILITY_TABLE);
      expect(namesOf([route.lead, ...route.coResponsible])).not.toContain(undefined);
    }
  });

  it('when the caller changes the returned list, then the table is untouched', () => {
    const route = routeOrganization('family', DEFAULT_RESPONSIBILITY_TABLE);
    (route.coResponsible as string[]).push('nongban');
    expect(DEFAULT_RESPONSIBILITY_TABLE.family.coResponsible).toHaveLength(3);
  });
});

describe('parseResponsibilityTable', () => {
  const refusal = (rows: readonly ResponsibilityRow[]) => {
    try {
      parseResponsibilityTable(rows, DEPARTMENTS);
    } catch (error) {
      return error;
    }
    throw new Error('expected the table to be refused');
  };
  const withFamily = (family: Omit<ResponsibilityRow, 'kind'>) =>
    defaultRows.map((row) => (row.kind === 'family' ? { kind: 'family', ...family } : row));

  it('when the office submits the default rows, then the default table comes back', () => {
    expect(parseResponsibilityTable(defaultRows, DEPARTMENTS)).toEqual(
      DEFAULT_RESPONSIBILITY_TABLE,
    );
  });

  it('when the office moves the family lead, then routing follows the edited table', () => {
    const table = parseResponsibilityTable(
      withFamily({ lead: 'wenming-ban', coResponsible: ['fulian'] }),
      DEPARTMENTS,
    );
    expect(routeOrganization('family', table)).toEqual({
      lead: 'wenming-ban',
      coResponsible: ['fulian'],
    });
  });

  it('when a kind has no row, then the table is refused naming it', () => {
    expect(refusal(defaultRows.filter((row) => row.kind !== 'community'))).toMatchObject({
      code: 'DEPARTMENT_TABLE_MISSING_KIND',
      message: 'The table has no row for: community.',
    });
  });

  it('when a kind has two rows (two leads), then the table is refused', () => {
    expect(
      refusal([...defaultRows, { kind: 'agency', lead: 'zuzhi-bu', coResponsible: [] }]),
    ).toMatchObject({ code: 'DEPARTMENT_TABLE_DUPLICATE_KIND' });
  });

  it('when a row is for public_institution or an unknown kind, then the table is refused', () => {
    for (const kind of ['public_institution', 'school']) {
      expect(
        refusal([...defaultRows, { kind, lead: 'zuzhi-bu', coResponsible: [] }]),
      ).toMatchObject({ code: 'DEPARTMENT_TABLE_UNKNOWN_KIND' });
    }
  });

  it('when the lead or a co-owner is not a known department, then the table is refused', () => {
    expect(refusal(withFamily({ lead: 'nobody', coResponsible: [] }))).toMatchObject({
      code: 'DEPARTMENT_TABLE_UNKNOWN_DEPARTMENT',
    });
    expect(refusal(withFamily({ lead: 'fulian', coResponsible: ['nobody'] }))).toMatchObject({
      code: 'DEPARTMENT_TABLE_UNKNOWN_DEPARTMENT',
    });
  });

  it('when the lead is also listed as co-responsible, then the table is refused', () => {
    expect(
      refusal(withFamily({ lead: 'fulian', coResponsible: ['jiaoyu-ju', 'fulian'] })),
    ).toMatchObject({
      code: 'DEPARTMENT_TABLE_LEAD_ALSO_CO_RESPONSIBLE',
      kind: 'invalid_argument',
    });
  });

  it('when a co-owner is listed twice, then the table is refused', () => {
    expect(
      refusal(withFamily({ lead: 'fulian', coResponsible: ['jiaoyu-ju', 'jiaoyu-ju'] })),
    ).toMatchObject({ code: 'DEPARTMENT_TABLE_DUPLICATE_CO_RESPONSIBLE' });
  });

  it('when a kind has a lead and no co-owners, then the table is accepted', () => {
    const table = parseResponsibilityTable(
      withFamily({ lead: 'fulian', coResponsible: [] }),
      DEPARTMENTS,
    );
    expect(table.family).toEqual({ lead: 'fulian', coResponsible: [] });
  });
});

describe('rowsOf and responsibilitiesOf', () => {
  it('when a table is turned into rows and parsed back, then the same table comes back in the policy order', () => {
    const rows = rowsOf(DEFAULT_RESPONSIBILITY_TABLE);

    expect(rows.map((row) => row.kind)).toEqual([
      'agency',
      'enterprise',
      'community',
      'village_town',
      'family',
    ]);
    expect(parseResponsibilityTable(rows, DEPARTMENTS)).toEqual(DEFAULT_RESPONSIBILITY_TABLE);
  });

  it('when asked what 教育局 owns, then it leads nothing and co-owns enterprises, communities, villages and families', () => {
    expect(responsibilitiesOf('jiaoyu-ju', DEFAULT_RESPONSIBILITY_TABLE)).toEqual({
      leads: [],
      coOwns: ['enterprise', 'community', 'village_town', 'family'],
    });
  });

  it('when asked what 妇联 owns, then it leads families and co-owns communities and villages', () => {
    expect(responsibilitiesOf('fulian', DEFAULT_RESPONSIBILITY_TABLE)).toEqual({
      leads: ['family'],
      coOwns: ['community', 'village_town'],
    });
  });
});
