import ExcelJS from 'exceljs';
import { PassThrough, type Writable } from 'node:stream';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import type {
  RankingRow,
  RankingTable,
} from '../../../src/application/rankings/export-rankings.js';
import {
  RANKING_HEADERS,
  writeRankingsPdf,
  writeRankingsXlsx,
} from '../../../src/adapters/exports/rankings.js';

async function* rowsOf(rows: readonly RankingRow[]): AsyncIterable<RankingRow> {
  for (const row of rows) {
    await Promise.resolve();
    yield row;
  }
}

const table = (rows: readonly RankingRow[]): RankingTable => ({
  year: 2026,
  target: 'enterprise',
  title: '2026年度学习型组织评估排名（学习型企业）',
  issuedOn: '2026-12-07',
  indicators: [
    { key: 'training', name: '职工培训' },
    { key: 'spend', name: '人均培训经费' },
  ],
  rows: rowsOf(rows),
});

const ROWS: readonly RankingRow[] = [
  {
    rank: 1,
    name: '余姚市舜宇光学有限公司',
    area: '兰江街道',
    score: '92.50',
    pass: '达标',
    status: '已锁定',
    indicatorScores: ['95.00', '90.00'],
  },
  {
    rank: 1,
    name: '宁波甬丰纺织有限公司',
    area: '梨洲街道',
    score: '92.50',
    pass: '达标',
    status: '暂定',
    indicatorScores: ['90.00', '95.00'],
  },
  {
    rank: 3,
    name: '余姚五金配件厂',
    area: '330281003000',
    score: '55.25',
    pass: '未达标',
    status: '暂定',
    indicatorScores: ['60.00', ''],
  },
];

async function written(write: (output: Writable) => Promise<void>): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => output.on('end', resolve));
  await write(output);
  await done;
  return Buffer.concat(chunks);
}

describe('the ranking XLSX', () => {
  it('when a table is written, then the workbook reads back with the title, the header with each indicator, and the rows as numbers', async () => {
    const file = await written((output) => writeRankingsXlsx(table(ROWS), output));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(file).buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.name).toBe('2026');
    const values = (row: number) => (sheet?.getRow(row).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['2026年度学习型组织评估排名（学习型企业）']);
    expect(values(2)).toEqual(['出具日期：2026-12-07']);
    expect(values(3)).toEqual([...RANKING_HEADERS, '职工培训', '人均培训经费']);
    expect(values(4)).toEqual([
      1,
      '余姚市舜宇光学有限公司',
      '兰江街道',
      92.5,
      '达标',
      '已锁定',
      95,
      90,
    ]);
    expect(values(5)).toEqual([
      1,
      '宁波甬丰纺织有限公司',
      '梨洲街道',
      92.5,
      '达标',
      '暂定',
      90,
      95,
    ]);
    expect(values(6)).toEqual([3, '余姚五金配件厂', '330281003000', 55.25, '未达标', '暂定', 60]);
    expect(sheet?.getRow(6).getCell(8).value).toBeNull();
    expect(sheet?.rowCount).toBe(6);
  });

  it('when there are no rows, then the sheet is the title, date and header alone', async () => {
    const file = await written((output) => writeRankingsXlsx(table([]), output));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(file).buffer);
    expect(workbook.worksheets[0]?.rowCount).toBe(3);
  });
});

describe('the ranking PDF', () => {
  it('when a table is printed, then its text holds the title, the issue date, and each row’s rank, name, area, score, pass and status', async () => {
    const file = await written((output) => writeRankingsPdf(table(ROWS), output));

    expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(file)), {
      mergePages: true,
    });
    const compact = text.replace(/\s+/g, '');
    for (const expected of [
      '2026年度学习型组织评估排名（学习型企业）',
      '出具日期：2026-12-07',
      '名次名称区域得分是否达标状态',
      '1余姚市舜宇光学有限公司兰江街道92.50达标已锁定',
      '1宁波甬丰纺织有限公司梨洲街道92.50达标暂定',
      '3余姚五金配件厂33028100300055.25未达标暂定',
    ])
      expect(compact).toContain(expected);
  });
});
