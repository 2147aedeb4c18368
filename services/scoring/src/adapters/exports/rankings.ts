/**
 * The ranking tables as files: XLSX (exceljs, written row by row to the
 * stream, so a year of rows is never held as one workbook in memory) and PDF
 * (pdfkit with the records' Noto Sans SC, a title, the issue date and a
 * table). Both take the rows as they are read.
 */
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { RankingRow, RankingTable } from '../../application/rankings/export-rankings.js';
import { cjkFont } from './pdf.js';

/** The fixed columns before the indicators, in both files. */
export const RANKING_HEADERS = ['名次', '名称', '区域', '得分', '是否达标', '状态'] as const;

/** A subject whose result lacks an indicator leaves its cell empty, not 0. */
const cellsOf = (row: RankingRow): (string | number | null)[] => [
  row.rank,
  row.name,
  row.area,
  Number(row.score),
  row.pass,
  row.status,
  ...row.indicatorScores.map((score) => (score === '' ? null : Number(score))),
];

/** Writes the table as a one-sheet workbook: the title, the issue date, the header, then a row per subject. */
export async function writeRankingsXlsx(table: RankingTable, output: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(String(table.year));
  sheet.columns = [
    { width: 8 },
    { width: 36 },
    { width: 18 },
    { width: 10 },
    { width: 10 },
    { width: 10 },
    ...table.indicators.map(() => ({ width: 14 })),
  ];
  sheet.addRow([table.title]).commit();
  sheet.addRow([`出具日期：${table.issuedOn}`]).commit();
  const header = sheet.addRow([...RANKING_HEADERS, ...table.indicators.map(({ name }) => name)]);
  header.font = { bold: true };
  header.commit();
  for await (const row of table.rows) sheet.addRow(cellsOf(row)).commit();
  sheet.commit();
  await workbook.commit();
}

const MARGIN = 40;
const ROW_GAP = 4;
/** Widths of the PDF's columns (A4 landscape); indicators are in the XLSX only, for width. */
const PDF_COLUMNS: readonly { readonly width: number; readonly align: 'left' | 'right' }[] = [
  { width: 50, align: 'right' },
  { width: 300, align: 'left' },
  { width: 150, align: 'left' },
  { width: 70, align: 'right' },
  { width: 80, align: 'left' },
  { width: 80, align: 'left' },
];

/** Writes the table as a PDF: the title 「<year>年度学习型组织评估排名（<kind>）」, the issue date, the table. */
export async function writeRankingsPdf(table: RankingTable, output: Writable): Promise<void> {
  const document = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: { Title: table.title },
  });
  const ended = new Promise<void>((resolve, reject) => {
    output.on('finish', resolve);
    output.on('error', reject);
    document.on('error', reject);
  });
  document.pipe(output);
  document.registerFont('cjk', cjkFont());
  document.font('cjk');
  document.fontSize(16).text(table.title, { align: 'center' });
  document.moveDown(0.3);
  document.fontSize(10).text(`出具日期：${table.issuedOn}`, { align: 'right' });
  document.moveDown(0.5);

  const bottom = document.page.height - MARGIN;
  const drawRow = (cells: readonly string[], size: number): void => {
    document.fontSize(size);
    const height =
      Math.max(
        ...PDF_COLUMNS.map((column, index) =>
          document.heightOfString(cells[index] ?? '', { width: column.width - 6 }),
        ),
      ) + ROW_GAP;
    if (document.y + height > bottom) document.addPage();
    const top = document.y;
    let x = MARGIN;
    PDF_COLUMNS.forEach((column, index) => {
      document.text(cells[index] ?? '', x, top, { width: column.width - 6, align: column.align });
      x += column.width;
    });
    document.x = MARGIN;
    document.y = top + height;
  };
  drawRow(RANKING_HEADERS, 10);
  for await (const row of table.rows)
    drawRow([String(row.rank), row.name, row.area, row.score, row.pass, row.status], 9);
  document.end();
  await ended;
}

/**
 * A stream of the file being written; a failure while writing (the database
 * gone mid-read) ends the stream with the error, so the response is cut off
 * rather than passed as complete.
 */
export function rankingsStream(
  table: RankingTable,
  write: (table: RankingTable, output: Writable) => Promise<void>,
): Readable {
  const output = new PassThrough();
  write(table, output).catch((error: unknown) => {
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return output;
}
