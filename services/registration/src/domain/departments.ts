/**
 * City departments and the table of which department leads and which co-own
 * each kind of learning organization (policy §6.2). The table is data the
 * campaign office edits; DEFAULT_RESPONSIBILITY_TABLE is only its first value.
 */
import { DomainError, type OrganizationKind } from '@learning/domain';

export { ORGANIZATION_KINDS, type OrganizationKind } from '@learning/domain';

/** Kinds with a row of their own: public institutions follow the agency rules (§4.1). */
export type RoutedKind = Exclude<OrganizationKind, 'public_institution'>;
export const ROUTED_KINDS: readonly RoutedKind[] = [
  'agency',
  'enterprise',
  'community',
  'village_town',
  'family',
];

export const routedKindOf = (kind: OrganizationKind): RoutedKind =>
  kind === 'public_institution' ? 'agency' : kind;

export interface Department {
  readonly code: string;
  readonly name: string;
}

/** The departments named in the policy; codes are pinyin so they stay readable and stable. */
export const DEPARTMENTS: readonly Department[] = [
  { code: 'shizhi-jiguan-gongwei', name: '市直机关工委' },
  { code: 'zuzhi-bu', name: '组织部' },
  { code: 'xuanchuan-bu', name: '宣传部' },
  { code: 'renshi-ju', name: '人事局' },
  { code: 'jingmao-ju', name: '经贸局' },
  { code: 'zong-gonghui', name: '总工会' },
  { code: 'jiaoyu-ju', name: '教育局' },
  { code: 'keji-ju', name: '科技局' },
  { code: 'laodong-shebao-ju', name: '劳动和社会保障局' },
  { code: 'wenhua-guangdian-ju', name: '文化广电新闻出版局' },
  { code: 'weisheng-ju', name: '卫生局' },
  { code: 'tiyu-ju', name: '体育局' },
  { code: 'gongshang-ju', name: '工商局' },
  { code: 'guoziwei', name: '国资委' },
  { code: 'wenming-ban', name: '文明办' },
  { code: 'minzheng-ju', name: '民政局' },
  { code: 'sifa-ju', name: '司法局' },
  { code: 'tuan-shiwei', name: '团市委' },
  { code: 'fulian', name: '妇联' },
  { code: 'laolingwei', name: '老龄委' },
  { code: 'guangongwei', name: '关工委' },
  { code: 'nongban', name: '农办' },
];

export interface Responsibility {
  readonly lead: string;
  readonly coResponsible: readonly string[];
}

export type ResponsibilityTable = Readonly<Record<RoutedKind, Responsibility>>;

/** One row of the table as the office submits it. */
export interface ResponsibilityRow extends Responsibility {
  readonly kind: string;
}

export const DEFAULT_RESPONSIBILITY_TABLE: ResponsibilityTable = {
  agency: {
    lead: 'shizhi-jiguan-gongwei',
    coResponsible: ['zuzhi-bu', 'xuanchuan-bu', 'renshi-ju'],
  },
  enterprise: {
    lead: 'jingmao-ju',
    coResponsible: [
      'zong-gonghui',
      'jiaoyu-ju',
      'keji-ju',
      'laodong-shebao-ju',
      'wenhua-guangdian-ju',
      'weisheng-ju',
      'tiyu-ju',
      'gongshang-ju',
      'guoziwei',
    ],
  },
  community: {
    lead: 'wenming-ban',
    coResponsible: [
      'jiaoyu-ju',
      'minzheng-ju',
      'sifa-ju',
      'wenhua-guangdian-ju',
      'weisheng-ju',
      'tiyu-ju',
      'zong-gonghui',
      'tuan-shiwei',
      'fulian',
      'laolingwei',
      'guangongwei',
    ],
  },
  village_town: {
    lead: 'nongban',
    coResponsible: [
      'zuzhi-bu',
      'xuanchuan-bu',
      'jiaoyu-ju',
      'minzheng-ju',
      'wenhua-guangdian-ju',
      'tuan-shiwei',
      'fulian',
    ],
  },
  family: {
    lead: 'fulian',
    coResponsible: ['wenming-ban', 'jiaoyu-ju', 'minzheng-ju'],
  },
};

export const DEPARTMENT_TABLE_UNKNOWN_KIND = 'DEPARTMENT_TABLE_UNKNOWN_KIND';
export const DEPARTMENT_TABLE_DUPLICATE_KIND = 'DEPARTMENT_TABLE_DUPLICATE_KIND';
export const DEPARTMENT_TABLE_MISSING_KIND = 'DEPARTMENT_TABLE_MISSING_KIND';
export const DEPARTMENT_TABLE_UNKNOWN_DEPARTMENT = 'DEPARTMENT_TABLE_UNKNOWN_DEPARTMENT';
export const DEPARTMENT_TABLE_LEAD_ALSO_CO_RESPONSIBLE =
  'DEPARTMENT_TABLE_LEAD_ALSO_CO_RESPONSIBLE';
export const DEPARTMENT_TABLE_DUPLICATE_CO_RESPONSIBLE =
  'DEPARTMENT_TABLE_DUPLICATE_CO_RESPONSIBLE';

const invalid = (code: string, message: string): DomainError =>
  new DomainError('invalid_argument', code, message);

const isRoutedKind = (kind: string): kind is RoutedKind =>
  (ROUTED_KINDS as readonly string[]).includes(kind);

/**
 * Checks an edited table and returns it keyed by kind: one row per kind (so
 * exactly one lead each), only known departments, and no department both
 * leading and co-owning the same kind.
 */
export function parseResponsibilityTable(
  rows: readonly ResponsibilityRow[],
  departments: readonly Department[],
): ResponsibilityTable {
  const known = new Set(departments.map((department) => department.code));
  const table = new Map<RoutedKind, Responsibility>();
  for (const row of rows) {
    if (!isRoutedKind(row.kind)) {
      throw invalid(
        DEPARTMENT_TABLE_UNKNOWN_KIND,
        `"${row.kind}" is not a kind with its own row (public institutions follow agency).`,
      );
    }
    if (table.has(row.kind)) {
      throw invalid(DEPARTMENT_TABLE_DUPLICATE_KIND, `Kind ${row.kind} has more than one row.`);
    }
    for (const code of [row.lead, ...row.coResponsible]) {
      if (!known.has(code)) {
        throw invalid(DEPARTMENT_TABLE_UNKNOWN_DEPARTMENT, `Department ${code} is not known.`);
      }
    }
    if (row.coResponsible.includes(row.lead)) {
      throw invalid(
        DEPARTMENT_TABLE_LEAD_ALSO_CO_RESPONSIBLE,
        `Department ${row.lead} leads ${row.kind} and cannot also be listed as co-responsible.`,
      );
    }
    if (new Set(row.coResponsible).size !== row.coResponsible.length) {
      throw invalid(
        DEPARTMENT_TABLE_DUPLICATE_CO_RESPONSIBLE,
        `Kind ${row.kind} lists a co-responsible department twice.`,
      );
    }
    table.set(row.kind, { lead: row.lead, coResponsible: [...row.coResponsible] });
  }
  const missing = ROUTED_KINDS.filter((kind) => !table.has(kind));
  if (missing.length > 0) {
    throw invalid(
      DEPARTMENT_TABLE_MISSING_KIND,
      `The table has no row for: ${missing.join(', ')}.`,
    );
  }
  return Object.fromEntries(table) as Record<RoutedKind, Responsibility>;
}

/** The departments an organization of `kind` reports to, taken from the current table. */
export function routeOrganization(
  kind: OrganizationKind,
  table: ResponsibilityTable,
): Responsibility {
  const { lead, coResponsible } = table[routedKindOf(kind)];
  return { lead, coResponsible: [...coResponsible] };
}

/** The table as the office edits it: one row per routed kind, in the policy's order. */
export function rowsOf(table: ResponsibilityTable): ResponsibilityRow[] {
  return ROUTED_KINDS.map((kind) => ({
    kind,
    lead: table[kind].lead,
    coResponsible: [...table[kind].coResponsible],
  }));
}

/** What one department leads and co-owns under a table. */
export function responsibilitiesOf(
  code: string,
  table: ResponsibilityTable,
): { leads: RoutedKind[]; coOwns: RoutedKind[] } {
  return {
    leads: ROUTED_KINDS.filter((kind) => table[kind].lead === code),
    coOwns: ROUTED_KINDS.filter((kind) => table[kind].coResponsible.includes(code)),
  };
}
