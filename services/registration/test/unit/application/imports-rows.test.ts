import { describe, expect, it } from 'vitest';
import type { CsvRecord } from '../../../src/application/imports/import-job.js';
import {
  checkMembershipRow,
  checkOrganizationRow,
  checkParticipantRow,
  checkRecord,
  layoutOf,
  type RowContext,
} from '../../../src/application/imports/rows.js';
import { PARTICIPANT_HEADER } from '../../fixtures/imports/rows.js';
import { validCreditCode } from '../../support/organizations.js';
import { idNumberFor } from '../../support/people.js';

const CITY = '330281000000';
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2_V1 = '330281002001';

const context: RowContext = {
  jurisdictions: new Map([
    [CITY, [CITY]],
    [T1, [CITY, T1]],
    [T1_V1, [CITY, T1, T1_V1]],
    [T2_V1, [CITY, '330281002000', T2_V1]],
  ]),
  reach: { cityWide: true, jurisdictions: [] },
  today: '2025-06-01',
};

const header = PARTICIPANT_HEADER.split(',');
const participantLayout = layoutOf('participants', header);
if (!participantLayout.ok) throw new Error('the documented header must fit');
const participantIndexes = participantLayout.indexes;

const record = (fields: string[], row = 1): CsvRecord => ({ row, line: row + 1, bytes: 0, fields });

function participant(overrides: Partial<Record<string, string>>, ctx = context) {
  const values: Record<string, string> = {
    name: '张三',
    id_number: idNumberFor(1),
    tier: 'ordinary_citizen',
    jurisdiction: T1_V1,
    phone: '13800138000',
    language: '',
    employer: '',
    notifications: '',
    ...overrides,
  };
  return checkParticipantRow(
    record(header.map((name) => values[name] ?? '')),
    participantIndexes,
    ctx,
  );
}

const codesOf = (check: { ok: boolean; errors?: { column: string | null; code: string }[] }) =>
  check.ok ? [] : (check.errors ?? []).map((error) => `${error.column ?? ''}:${error.code}`);

describe('import header', () => {
  it('when the header uses Chinese names, a BOM and another order, then every column is found', () => {
    const layout = layoutOf('participants', ['\uFEFF身份证号', '姓名', '辖区', '类别']);

    expect(layout.ok && Object.fromEntries(layout.indexes)).toEqual({
      id_number: 0,
      name: 1,
      jurisdiction: 2,
      tier: 3,
    });
  });

  it('when a column is unknown, repeated or missing, then each problem is named', () => {
    const layout = layoutOf('participants', ['name', 'Name', 'tier', 'jurisdiction', 'salary']);

    expect(layout.ok ? [] : layout.problems).toEqual([
      { column: 'name', message: 'appears more than once' },
      { column: 'salary', message: 'is not a column of this import' },
      { column: 'id_number', message: 'is required and missing' },
    ]);
  });
});

describe('participant rows', () => {
  it('when every field is valid, then the row is normalized: ID upper-cased, phone digits, Chinese tier name, consent word', () => {
    const id = idNumberFor(7);
    const check = participant({
      id_number: ` ${id.toLowerCase()} `,
      phone: '+86 139-1234-5678',
      tier: '普通市民',
      notifications: '是',
      language: 'en',
      employer: '某某公司, 第一分部',
    });

    expect(check).toEqual({
      ok: true,
      row: expect.objectContaining({
        idNumber: id,
        birthDate: '1950-01-01',
        phone: '13912345678',
        tier: 'ordinary_citizen',
        notifications: true,
        language: 'en',
        employer: '某某公司, 第一分部',
        jurisdictionPath: [CITY, T1, T1_V1],
      }) as unknown,
    });
  });

  it('when optional fields are blank, then the defaults apply: no phone, zh-CN, no consent, no employer', () => {
    const check = participant({ phone: '', language: '', notifications: '', employer: '' });

    expect(check.ok && check.row).toMatchObject({
      phone: null,
      language: 'zh-CN',
      notifications: false,
      employer: null,
    });
  });

  it.each([
    [{ name: '' }, 'name:FIELD_REQUIRED'],
    [{ name: 'x'.repeat(51) }, 'name:PARTICIPANT_NAME_INVALID'],
    [{ id_number: '12345' }, 'id_number:ID_NUMBER_FORMAT'],
    [
      { id_number: `${idNumberFor(3).slice(0, 17)}${idNumberFor(3).endsWith('0') ? '1' : '0'}` },
      'id_number:ID_NUMBER_CHECK_DIGIT',
    ],
    [{ tier: 'boss' }, 'tier:TIER_UNKNOWN'],
    [{ jurisdiction: '999999999999' }, 'jurisdiction:JURISDICTION_UNKNOWN'],
    [{ phone: '12345' }, 'phone:PHONE_FORMAT'],
    [{ language: 'fr' }, 'language:LANGUAGE_UNKNOWN'],
    [{ notifications: 'maybe' }, 'notifications:BOOLEAN_INVALID'],
    [{ employer: 'x'.repeat(101) }, 'employer:EMPLOYER_INVALID'],
    [{ name: 'x'.repeat(100_000) }, 'name:FIELD_TOO_LONG'],
  ])('when %o, then the row is refused with %s', (overrides, expected) => {
    expect(codesOf(participant(overrides))).toEqual([expected]);
  });

  it('when several fields are wrong, then each is reported, and no message repeats the ID or phone number', () => {
    const badId = `${idNumberFor(5).slice(0, 17)}${idNumberFor(5).endsWith('0') ? '1' : '0'}`;
    const check = participant({ id_number: badId, phone: '1391234567', tier: 'boss' });

    expect(codesOf(check)).toEqual([
      'id_number:ID_NUMBER_CHECK_DIGIT',
      'tier:TIER_UNKNOWN',
      'phone:PHONE_FORMAT',
    ]);
    expect(JSON.stringify(check)).not.toContain(badId);
    expect(JSON.stringify(check)).not.toContain('1391234567');
  });

  it('when an area officer imports a row outside their area, then it is ROW_OUT_OF_SCOPE', () => {
    const officer = { ...context, reach: { cityWide: false, jurisdictions: [T1] } };

    expect(codesOf(participant({ jurisdiction: T2_V1 }, officer))).toEqual([
      'jurisdiction:ROW_OUT_OF_SCOPE',
    ]);
    expect(participant({ jurisdiction: T1_V1 }, officer).ok).toBe(true);
  });

  it('when a row has more fields than the header, then the whole row is refused', () => {
    const check = checkRecord(
      record([...header.map(() => 'x'), 'extra'], 4),
      header.length,
      participantIndexes,
      context,
      checkParticipantRow,
    );

    expect(check).toEqual({
      ok: false,
      errors: [
        {
          row: 4,
          line: 5,
          column: null,
          code: 'ROW_COLUMN_COUNT',
          message: 'has 9 fields; the header has 8',
        },
      ],
    });
  });
});

describe('organization and membership rows', () => {
  const orgLayout = layoutOf('organizations', ['kind', 'name', 'jurisdiction', 'credit_code']);
  const memberLayout = layoutOf('memberships', ['统一社会信用代码', '身份证号', '角色']);
  if (!orgLayout.ok || !memberLayout.ok) throw new Error('the documented headers must fit');
  const code = validCreditCode('91330281MA2B00001');

  it('when an organization row has a Chinese kind and no credit code, then it is valid with a null code', () => {
    const check = checkOrganizationRow(
      record(['学习型家庭', ' 张家 ', T1_V1, '']),
      orgLayout.indexes,
      context,
    );

    expect(check.ok && check.row).toMatchObject({ kind: 'family', name: '张家', creditCode: null });
  });

  it('when an organization row has an unknown kind, a bad credit code and an unknown place, then all three are reported', () => {
    const check = checkOrganizationRow(
      record(['club', '某某', '1', `${code.slice(0, 17)}I`]),
      orgLayout.indexes,
      context,
    );

    expect(codesOf(check)).toEqual([
      'kind:ORGANIZATION_KIND_UNKNOWN',
      'jurisdiction:JURISDICTION_UNKNOWN',
      'credit_code:ORGANIZATION_CREDIT_CODE_INVALID',
    ]);
  });

  it('when a membership row names a role in Chinese, then it is read; a blank role means member', () => {
    const admin = checkMembershipRow(
      record([code, idNumberFor(9), '管理员']),
      memberLayout.indexes,
      context,
    );
    const member = checkMembershipRow(
      record([code, idNumberFor(9), '']),
      memberLayout.indexes,
      context,
    );

    expect(admin.ok && admin.row.role).toBe('admin');
    expect(member.ok && member.row.role).toBe('member');
  });

  it('when a membership row has an unknown role, then MEMBERSHIP_ROLE_UNKNOWN', () => {
    const check = checkMembershipRow(
      record([code, idNumberFor(9), 'boss']),
      memberLayout.indexes,
      context,
    );

    expect(codesOf(check)).toEqual(['role:MEMBERSHIP_ROLE_UNKNOWN']);
  });
});
