/**
 * A learning record as a PDF in Chinese: the city's title, the person, the
 * year, totals by category, the entries, the verification code with the
 * public path that checks it, and the issue date. The font is Noto Sans SC
 * (OFL-1.1) from its npm package; pdfkit embeds only the glyphs used.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chinaDateOf } from '@learning/domain';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import type { RecordExport } from '../../application/records/export-record.js';
import { formatCredits, formatHours } from '../../domain/credits.js';
import {
  categoryLabel,
  REASON_LABELS,
  SOURCE_LABELS,
  type RecordEntry,
} from '../../domain/records.js';

export const RECORD_TITLE = '学习型社会建设 个人学习档案';

/**
 * Read and parsed once per process: ten megabytes that every export uses.
 * pdfkit takes a parsed fontkit font as well as bytes (its types say bytes
 * only), and a shared one keeps the glyphs it has looked up, which more than
 * halves the CPU a PDF costs; each document still makes its own subset.
 */
let parsedFont: fontkit.Font | undefined;
export function cjkFont(): Buffer {
  if (parsedFont === undefined) {
    const bytes = readFileSync(
      createRequire(import.meta.url).resolve(
        '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
      ),
    );
    const created = fontkit.create(bytes);
    if (!('layout' in created)) throw new TypeError('Noto Sans SC is one font, not a collection.');
    parsedFont = created;
  }
  return parsedFont as unknown as Buffer;
}

const MARGIN = 50;
const ROW_GAP = 4;

interface Column {
  readonly title: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  readonly text: (entry: RecordEntry) => string;
}

const COLUMNS: readonly Column[] = [
  { title: '日期', width: 65, align: 'left', text: (entry) => chinaDateOf(entry.occurredAt) },
  {
    title: '学习内容 / 规则 / 说明',
    width: 215,
    align: 'left',
    text: (entry) =>
      `${entry.title}\n规则 ${entry.ruleId} 第${entry.ruleVersion}版 · ${REASON_LABELS[entry.reason]}`,
  },
  { title: '来源', width: 70, align: 'left', text: (entry) => SOURCE_LABELS[entry.source] },
  { title: '类别', width: 75, align: 'left', text: (entry) => categoryLabel(entry.category) },
  { title: '学分', width: 35, align: 'right', text: (entry) => formatCredits(entry.amount) },
  { title: '学时', width: 35, align: 'right', text: (entry) => formatHours(entry.minutes) },
];

/** `verificationPath`: where the public checks the code (`/v1/public/verifications/<code>`). */
export async function recordPdf(record: RecordExport, verificationPath: string): Promise<Buffer> {
  const { certificate, totals } = record;
  const document = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `${RECORD_TITLE} ${record.year}`,
      CreationDate: certificate.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    document.on('end', resolve);
    document.on('error', reject);
  });
  document.registerFont('cjk', cjkFont());
  document.font('cjk');

  document.fontSize(18).text(RECORD_TITLE, { align: 'center' });
  document.moveDown(0.8);
  document.fontSize(11);
  document.text(`姓名：${record.name}`);
  document.text(`年度：${record.year}`);
  document.text(
    `合计：${formatCredits(totals.credits)} 学分，${formatHours(totals.minutes)} 学时，${totals.entries} 条记录`,
  );
  document.moveDown(0.5);
  document.fontSize(12).text('分类合计');
  document.fontSize(10);
  for (const total of totals.byCategory)
    document.text(
      `${categoryLabel(total.category)}：${formatCredits(total.credits)} 学分，${formatHours(total.minutes)} 学时`,
    );
  document.moveDown(0.8);

  const bottom = document.page.height - MARGIN;
  const drawRow = (cells: readonly string[], size: number): void => {
    document.fontSize(size);
    const heights = COLUMNS.map((column, index) =>
      document.heightOfString(cells[index] ?? '', { width: column.width - 4 }),
    );
    const height = Math.max(...heights) + ROW_GAP;
    if (document.y + height > bottom) document.addPage();
    const top = document.y;
    let x = MARGIN;
    COLUMNS.forEach((column, index) => {
      document.text(cells[index] ?? '', x, top, { width: column.width - 4, align: column.align });
      x += column.width;
    });
    document.x = MARGIN;
    document.y = top + height;
  };
  document.fontSize(12).text('学习记录');
  drawRow(
    COLUMNS.map((column) => column.title),
    9,
  );
  for (const entry of record.entries)
    drawRow(
      COLUMNS.map((column) => column.text(entry)),
      8,
    );

  document.moveDown(1);
  document.fontSize(10);
  document.text(`验证码：${certificate.code}`, MARGIN);
  document.text(`验证地址：${verificationPath}`);
  document.text(`出具日期：${chinaDateOf(certificate.issuedAt)}`);
  document.end();
  await ended;
  return Buffer.concat(chunks);
}
