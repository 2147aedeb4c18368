import { parse } from 'csv-parse/sync';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, recordCsv } from '../../../src/adapters/exports/csv.js';
import { RECORD_TITLE, recordPdf } from '../../../src/adapters/exports/pdf.js';
import { recordEntry, recordExport } from '../../support/records.js';

const entries = [
  recordEntry({ title: '读书会，"红楼梦"第一回', occurredAt: new Date('2026-03-31T17:00:00Z') }),
  recordEntry({
    title: '法律讲座',
    category: 'market_economy_law',
    source: 'activity_attended',
    amount: 150,
    minutes: 60,
    ruleVersion: 2,
  }),
  recordEntry({ title: '法律讲座', amount: -150, minutes: 0, reason: 'source_withdrawn' }),
];

describe('the CSV export', () => {
  it('when a record is written, then it starts with a BOM, uses CRLF, and reads back as the header and one row per entry', () => {
    const csv = recordCsv(recordExport(entries));

    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain('\r\n');
    const rows = parse(csv, { bom: true });
    expect(rows[0]).toEqual(CSV_COLUMNS.map((column) => column.header));
    expect(rows.slice(1)).toEqual([
      [
        '2026-04-01',
        '读书会，"红楼梦"第一回',
        '听讲座',
        '政治理论',
        'lecture-base',
        '1',
        '2',
        '1.5',
        '计入',
      ],
      [
        '2026-04-10',
        '法律讲座',
        '参加活动',
        '市场经济与法律',
        'lecture-base',
        '2',
        '1.5',
        '1',
        '计入',
      ],
      [
        '2026-04-10',
        '法律讲座',
        '听讲座',
        '政治理论',
        'lecture-base',
        '1',
        '-1.5',
        '0',
        '撤销（来源已撤回）',
      ],
    ]);
  });

  it('when the record has no entries, then it is the header row alone', () => {
    const rows = parse(recordCsv(recordExport([])), { bom: true });

    expect(rows).toHaveLength(1);
  });
});

describe('the PDF export', () => {
  it('when a record is printed, then its text holds the title, name, year, totals by category, entries, code, path and issue date', async () => {
    const record = recordExport(entries);
    const pdf = await recordPdf(record, `/v1/public/verifications/${record.certificate.code}`);

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), {
      mergePages: true,
    });
    const compact = text.replace(/\s+/g, '');
    for (const expected of [
      RECORD_TITLE.replace(/\s+/g, ''),
      '姓名：张晓明',
      '年度：2026',
      '合计：2学分，2.5学时，3条记录',
      '政治理论：0.5学分，1.5学时',
      '市场经济与法律：1.5学分，1学时',
      '读书会，"红楼梦"第一回',
      '撤销（来源已撤回）',
      `验证码：${record.certificate.code}`,
      `/v1/public/verifications/${record.certificate.code}`,
      '出具日期：2026-12-01',
    ])
      expect(compact).toContain(expected);
  });
});
