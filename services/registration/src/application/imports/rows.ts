/**
 * The documented columns of each import kind and the rules for each field.
 * Row checks are pure: the jurisdiction tree and the uploader's reach come in
 * as data. Messages say what is wrong with a value, never the value itself,
 * so an error report can be handed around without exposing ID or phone numbers.
 */
import { ORGANIZATION_KINDS, type OrganizationKind } from '../../domain/departments.js';
import { DomainError } from '@learning/domain';
import { isWithin } from '../../domain/jurisdictions.js';
import {
  MEMBERSHIP_ROLES,
  parseCreditCode,
  type MembershipRole,
} from '../../domain/organizations.js';
import {
  LANGUAGES,
  normalizeEmployer,
  normalizeName,
  parseIdNumber,
  parseMobilePhone,
  TIERS,
  type CalendarDate,
  type Language,
  type Tier,
} from '../../domain/participants.js';
import { JURISDICTION_UNKNOWN } from '@learning/errors';
import type { CsvRecord, ImportKind, ImportReach, RowError } from './import-job.js';

export interface ColumnSpec {
  readonly name: string;
  readonly required: boolean;
  /** Other header spellings accepted, e.g. the Chinese ones staff use. */
  readonly aliases: readonly string[];
  readonly description: string;
}

const column = (
  name: string,
  required: boolean,
  aliases: readonly string[],
  description: string,
): ColumnSpec => ({ name, required, aliases, description });

export const IMPORT_COLUMNS: Readonly<Record<ImportKind, readonly ColumnSpec[]>> = {
  participants: [
    column('name', true, ['姓名'], 'The person’s name, 1 to 50 characters.'),
    column('id_number', true, ['身份证号', '身份证号码'], '18-character resident ID number.'),
    column('tier', true, ['类别', '人员类别'], `One of ${TIERS.join(', ')} (or its Chinese name).`),
    column('jurisdiction', true, ['辖区', '辖区代码'], '12-digit code of the home jurisdiction.'),
    column('phone', false, ['手机', '手机号'], 'Mainland mobile number; blank for none.'),
    column('language', false, ['语言'], `${LANGUAGES.join(' or ')}; blank for zh-CN.`),
    column('employer', false, ['工作单位'], 'Employer’s name; blank for none.'),
    column(
      'notifications',
      false,
      ['接收通知'],
      'Consent to notifications: yes/no, true/false, 1/0, 是/否; blank for no.',
    ),
  ],
  organizations: [
    column(
      'kind',
      true,
      ['类型'],
      `One of ${ORGANIZATION_KINDS.join(', ')} (or its Chinese name).`,
    ),
    column('name', true, ['名称'], 'The organization’s name, 1 to 100 characters.'),
    column('jurisdiction', true, ['辖区', '辖区代码'], '12-digit code of its jurisdiction.'),
    column(
      'credit_code',
      false,
      ['统一社会信用代码', '信用代码'],
      'Unified social credit code; blank for none (then kind, jurisdiction and name identify it).',
    ),
  ],
  memberships: [
    column(
      'credit_code',
      true,
      ['统一社会信用代码', '信用代码'],
      'The organization’s unified social credit code.',
    ),
    column('id_number', true, ['身份证号', '身份证号码'], 'The member’s resident ID number.'),
    column('role', false, ['角色'], `${MEMBERSHIP_ROLES.join(' or ')}; blank for member.`),
  ],
};

/** Codes of row errors found by the row checks (domain codes are passed through). */
export const ROW_CODES = {
  columnCount: 'ROW_COLUMN_COUNT',
  required: 'FIELD_REQUIRED',
  tooLong: 'FIELD_TOO_LONG',
  tierUnknown: 'TIER_UNKNOWN',
  jurisdictionUnknown: JURISDICTION_UNKNOWN,
  outOfScope: 'ROW_OUT_OF_SCOPE',
  languageUnknown: 'LANGUAGE_UNKNOWN',
  booleanInvalid: 'BOOLEAN_INVALID',
  kindUnknown: 'ORGANIZATION_KIND_UNKNOWN',
  organizationNameInvalid: 'ORGANIZATION_NAME_INVALID',
  roleUnknown: 'MEMBERSHIP_ROLE_UNKNOWN',
  organizationNotFound: 'ORGANIZATION_NOT_FOUND',
  participantNotFound: 'PARTICIPANT_NOT_FOUND',
  writeFailed: 'ROW_WRITE_FAILED',
} as const;

/** Longer fields are refused before any rule looks at them. */
export const MAX_FIELD_LENGTH = 1_000;

const headerKey = (raw: string): string =>
  raw
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

export interface HeaderProblem {
  readonly column: string;
  readonly message: string;
}

/** Each documented column's index in the file's header, or what is wrong with the header. */
export type HeaderLayout =
  | { readonly ok: true; readonly indexes: ReadonlyMap<string, number> }
  | { readonly ok: false; readonly problems: HeaderProblem[] };

export function layoutOf(kind: ImportKind, header: readonly string[]): HeaderLayout {
  const specs = IMPORT_COLUMNS[kind];
  const byKey = new Map<string, ColumnSpec>();
  for (const spec of specs)
    for (const key of [spec.name, ...spec.aliases]) byKey.set(headerKey(key), spec);
  const indexes = new Map<string, number>();
  const problems: HeaderProblem[] = [];
  header.forEach((raw, index) => {
    const spec = byKey.get(headerKey(raw));
    // Header cells are echoed only when short: they are column names, not data.
    const shown = raw.length <= 40 ? raw : `column ${index + 1}`;
    if (spec === undefined) {
      problems.push({ column: shown, message: 'is not a column of this import' });
    } else if (indexes.has(spec.name)) {
      problems.push({ column: spec.name, message: 'appears more than once' });
    } else {
      indexes.set(spec.name, index);
    }
  });
  for (const spec of specs)
    if (spec.required && !indexes.has(spec.name))
      problems.push({ column: spec.name, message: 'is required and missing' });
  return problems.length === 0 ? { ok: true, indexes } : { ok: false, problems };
}

/** What a row check needs besides the row: the tree, the uploader's reach and the date. */
export interface RowContext {
  /** Jurisdiction code → its path from the city down. */
  readonly jurisdictions: ReadonlyMap<string, readonly string[]>;
  readonly reach: ImportReach;
  /** Today in China, for birth dates in ID numbers. */
  readonly today: CalendarDate;
}

interface RowPosition {
  readonly row: number;
  readonly line: number;
}

export interface ParticipantRow extends RowPosition {
  readonly name: string;
  /** Normalized; personal data that only the sink may see (to hash and seal it). */
  readonly idNumber: string;
  readonly birthDate: CalendarDate;
  readonly tier: Tier;
  readonly jurisdictionPath: readonly string[];
  readonly phone: string | null;
  readonly language: Language;
  readonly notifications: boolean;
  readonly employer: string | null;
}

export interface OrganizationRow extends RowPosition {
  readonly kind: OrganizationKind;
  readonly name: string;
  readonly jurisdictionPath: readonly string[];
  readonly creditCode: string | null;
}

export interface MembershipRow extends RowPosition {
  readonly creditCode: string;
  readonly idNumber: string;
  readonly role: MembershipRole;
}

export interface ImportRows {
  participants: ParticipantRow;
  organizations: OrganizationRow;
  memberships: MembershipRow;
}

export type RowCheck<Row> =
  { readonly ok: true; readonly row: Row } | { readonly ok: false; readonly errors: RowError[] };

/** Reads one row's fields, collecting every problem rather than stopping at the first. */
class FieldReader {
  readonly errors: RowError[] = [];

  constructor(
    private readonly record: CsvRecord,
    private readonly indexes: ReadonlyMap<string, number>,
  ) {}

  error(column: string | null, code: string, message: string): void {
    this.errors.push({ row: this.record.row, line: this.record.line, column, code, message });
  }

  /** The trimmed value; '' when the column is absent or blank. */
  raw(column: string): string {
    const index = this.indexes.get(column);
    return index === undefined ? '' : (this.record.fields[index] ?? '').trim();
  }

  /** The value, or undefined after recording why it cannot be used. */
  text(column: string, required: boolean): string | undefined {
    const value = this.raw(column);
    if (value.length > MAX_FIELD_LENGTH) {
      this.error(column, ROW_CODES.tooLong, `is longer than ${MAX_FIELD_LENGTH} characters`);
      return undefined;
    }
    if (value === '' && required) {
      this.error(column, ROW_CODES.required, 'is required');
      return undefined;
    }
    return value;
  }

  /** Runs a domain rule; its DomainError becomes this column's error (its message names no value). */
  rule<T>(column: string, run: () => T): T | undefined {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.error(column, error.code, error.message);
      return undefined;
    }
  }

  done<Row>(row: Row | undefined): RowCheck<Row> {
    if (this.errors.length > 0 || row === undefined) return { ok: false, errors: this.errors };
    return { ok: true, row };
  }
}

const TIER_NAMES: Readonly<Record<string, Tier>> = {
  领导干部: 'leading_cadre',
  一般干部: 'ordinary_cadre',
  民营企业: 'private_enterprise_staff',
  民营企业员工: 'private_enterprise_staff',
  普通市民: 'ordinary_citizen',
  学生: 'pupil',
  中小学生: 'pupil',
};

const KIND_NAMES: Readonly<Record<string, OrganizationKind>> = {
  机关: 'agency',
  学习型机关: 'agency',
  事业单位: 'public_institution',
  企业: 'enterprise',
  学习型企业: 'enterprise',
  社区: 'community',
  学习型社区: 'community',
  村镇: 'village_town',
  学习型村镇: 'village_town',
  家庭: 'family',
  学习型家庭: 'family',
};

const ROLE_NAMES: Readonly<Record<string, MembershipRole>> = { 成员: 'member', 管理员: 'admin' };

const TRUE_WORDS = new Set(['yes', 'y', 'true', '1', '是', '同意']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0', '否', '不同意']);

function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  names: Readonly<Record<string, T>>,
): T | undefined {
  const lower = value.toLowerCase();
  return allowed.find((item) => item.toLowerCase() === lower) ?? names[value];
}

function jurisdictionOf(
  fields: FieldReader,
  context: RowContext,
  column: string,
): readonly string[] | undefined {
  const code = fields.text(column, true);
  if (code === undefined) return undefined;
  const path = context.jurisdictions.get(code);
  if (path === undefined) {
    fields.error(column, ROW_CODES.jurisdictionUnknown, 'is not a known jurisdiction code');
    return undefined;
  }
  if (!context.reach.cityWide && !isWithin(path, context.reach.jurisdictions)) {
    fields.error(column, ROW_CODES.outOfScope, 'is outside the area you may import into');
    return undefined;
  }
  return path;
}

function idNumberOf(fields: FieldReader, context: RowContext) {
  const raw = fields.text('id_number', true);
  return raw === undefined
    ? undefined
    : fields.rule('id_number', () => parseIdNumber(raw, context.today));
}

export function checkParticipantRow(
  record: CsvRecord,
  indexes: ReadonlyMap<string, number>,
  context: RowContext,
): RowCheck<ParticipantRow> {
  const fields = new FieldReader(record, indexes);
  const rawName = fields.text('name', true);
  const name =
    rawName === undefined ? undefined : fields.rule('name', () => normalizeName(rawName));
  const resident = idNumberOf(fields, context);
  const rawTier = fields.text('tier', true);
  const tier = rawTier === undefined ? undefined : oneOf(rawTier, TIERS, TIER_NAMES);
  if (rawTier !== undefined && tier === undefined)
    fields.error('tier', ROW_CODES.tierUnknown, `must be one of ${TIERS.join(', ')}`);
  const jurisdictionPath = jurisdictionOf(fields, context, 'jurisdiction');
  const rawPhone = fields.text('phone', false);
  const phone =
    rawPhone === undefined || rawPhone === ''
      ? null
      : (fields.rule('phone', () => parseMobilePhone(rawPhone)) ?? null);
  const rawLanguage = fields.text('language', false) ?? '';
  const language: Language | undefined =
    rawLanguage === '' || rawLanguage.toLowerCase() === 'zh'
      ? 'zh-CN'
      : oneOf(rawLanguage, LANGUAGES, {});
  if (language === undefined)
    fields.error('language', ROW_CODES.languageUnknown, `must be ${LANGUAGES.join(' or ')}`);
  const rawEmployer = fields.text('employer', false);
  const employer =
    rawEmployer === undefined
      ? null
      : (fields.rule('employer', () => normalizeEmployer(rawEmployer)) ?? null);
  const rawConsent = (fields.text('notifications', false) ?? '').toLowerCase();
  const notifications =
    rawConsent === ''
      ? false
      : TRUE_WORDS.has(rawConsent)
        ? true
        : FALSE_WORDS.has(rawConsent)
          ? false
          : undefined;
  if (notifications === undefined)
    fields.error('notifications', ROW_CODES.booleanInvalid, 'must be yes or no');
  if (
    name === undefined ||
    resident === undefined ||
    tier === undefined ||
    jurisdictionPath === undefined ||
    language === undefined ||
    notifications === undefined
  )
    return fields.done<ParticipantRow>(undefined);
  return fields.done({
    row: record.row,
    line: record.line,
    name,
    idNumber: resident.idNumber,
    birthDate: resident.birthDate,
    tier,
    jurisdictionPath,
    phone,
    language,
    notifications,
    employer,
  });
}

export const ORGANIZATION_NAME_MAX_LENGTH = 100;

export function checkOrganizationRow(
  record: CsvRecord,
  indexes: ReadonlyMap<string, number>,
  context: RowContext,
): RowCheck<OrganizationRow> {
  const fields = new FieldReader(record, indexes);
  const rawKind = fields.text('kind', true);
  const kind = rawKind === undefined ? undefined : oneOf(rawKind, ORGANIZATION_KINDS, KIND_NAMES);
  if (rawKind !== undefined && kind === undefined)
    fields.error('kind', ROW_CODES.kindUnknown, `must be one of ${ORGANIZATION_KINDS.join(', ')}`);
  const rawName = fields.text('name', true);
  const name = rawName?.normalize('NFC').replace(/\s+/gu, ' ');
  if (name !== undefined && name.length > ORGANIZATION_NAME_MAX_LENGTH) {
    fields.error(
      'name',
      ROW_CODES.organizationNameInvalid,
      `has more than ${ORGANIZATION_NAME_MAX_LENGTH} characters`,
    );
  }
  const jurisdictionPath = jurisdictionOf(fields, context, 'jurisdiction');
  const rawCode = fields.text('credit_code', false);
  const creditCode =
    rawCode === undefined || rawCode === ''
      ? null
      : (fields.rule('credit_code', () => parseCreditCode(rawCode)) ?? undefined);
  if (
    kind === undefined ||
    name === undefined ||
    jurisdictionPath === undefined ||
    creditCode === undefined
  )
    return fields.done<OrganizationRow>(undefined);
  return fields.done({
    row: record.row,
    line: record.line,
    kind,
    name,
    jurisdictionPath,
    creditCode,
  });
}

export function checkMembershipRow(
  record: CsvRecord,
  indexes: ReadonlyMap<string, number>,
  context: RowContext,
): RowCheck<MembershipRow> {
  const fields = new FieldReader(record, indexes);
  const rawCode = fields.text('credit_code', true);
  const creditCode =
    rawCode === undefined ? undefined : fields.rule('credit_code', () => parseCreditCode(rawCode));
  const resident = idNumberOf(fields, context);
  const rawRole = fields.text('role', false) ?? '';
  const role = rawRole === '' ? 'member' : oneOf(rawRole, MEMBERSHIP_ROLES, ROLE_NAMES);
  if (role === undefined)
    fields.error('role', ROW_CODES.roleUnknown, `must be ${MEMBERSHIP_ROLES.join(' or ')}`);
  if (creditCode === undefined || resident === undefined || role === undefined)
    return fields.done<MembershipRow>(undefined);
  return fields.done({
    row: record.row,
    line: record.line,
    creditCode,
    idNumber: resident.idNumber,
    role,
  });
}

export type RowChecker<Row> = (
  record: CsvRecord,
  indexes: ReadonlyMap<string, number>,
  context: RowContext,
) => RowCheck<Row>;

export const ROW_CHECKERS: { readonly [K in ImportKind]: RowChecker<ImportRows[K]> } = {
  participants: checkParticipantRow,
  organizations: checkOrganizationRow,
  memberships: checkMembershipRow,
};

/**
 * Checks a record's shape before its fields: a row with more or fewer fields
 * than the header is refused whole, since its values cannot be trusted to sit
 * under the right columns.
 */
export function checkRecord<Row>(
  record: CsvRecord,
  headerLength: number,
  indexes: ReadonlyMap<string, number>,
  context: RowContext,
  check: RowChecker<Row>,
): RowCheck<Row> {
  if (record.fields.length !== headerLength) {
    return {
      ok: false,
      errors: [
        {
          row: record.row,
          line: record.line,
          column: null,
          code: ROW_CODES.columnCount,
          message: `has ${record.fields.length} fields; the header has ${headerLength}`,
        },
      ],
    };
  }
  return check(record, indexes, context);
}
