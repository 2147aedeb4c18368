/**
 * PDF exports of a year's learning record: --entries entries (a busy
 * person's year), rendered --pdfs times one after another in this process,
 * as the export route renders them (pdfkit, Noto Sans SC subset per PDF).
 *
 *   pnpm --filter @learning/scoring bench:exports [--quick] [--entries 200] [--pdfs 50]
 *
 * --quick renders 10 PDFs.
 * The ledger read before rendering (one indexed query) and the certificate
 * insert are left out: they are the database's, and the rendering is the
 * CPU the service spends. The first PDF also reads the font file (10 MB)
 * and is reported apart. Prints PDFs/s, CPU ms per PDF, PDF size and peak RSS.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { printBenchSummary } from '@learning/testing';
import { recordPdf } from '../src/adapters/exports/pdf.js';
import { CONTENT_CATEGORIES } from '@learning/domain';
import { SOURCE_KINDS } from '../src/domain/facts.js';
import { totalsOf, type RecordEntry } from '../src/domain/records.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    entries: { type: 'string', default: '200' },
    pdfs: { type: 'string' },
  },
});
const entryCount = Number(values.entries);
const pdfCount = Number(values.pdfs ?? (values.quick ? '10' : '50'));

const TITLES = [
  '玉海大讲坛：宋韵文化与当代生活',
  '法律进社区：民法典解读',
  '金秋读书节 读书分享会',
  '农民素质提升工程 果树栽培培训',
];

const entries: RecordEntry[] = Array.from({ length: entryCount }, (_, index) => ({
  id: randomUUID(),
  occurredAt: new Date(Date.UTC(2026, 0, 1) + index * 36 * 3_600_000),
  title: `${TITLES[index % TITLES.length] ?? ''}（第${index + 1}期）`,
  source: SOURCE_KINDS[index % 5] ?? 'lecture_attended',
  ruleId: `rule-${index % 7}`,
  ruleVersion: 1 + (index % 2),
  amount: index % 25 === 24 ? -150 : 150,
  reason: index % 25 === 24 ? 'source_withdrawn' : 'awarded',
  category: CONTENT_CATEGORIES[index % CONTENT_CATEGORIES.length] ?? null,
  minutes: index % 25 === 24 ? 0 : 90,
}));
const totals = totalsOf(entries);
const record = {
  name: '张晓明',
  year: 2026,
  entries,
  totals,
  certificate: {
    code: 'LS26-0000-1111-2222-3333-4444-5555',
    participantId: randomUUID(),
    year: 2026,
    totals,
    maskedName: '张*明',
    format: 'pdf' as const,
    issuedAt: new Date(),
  },
};
const path = `/v1/public/verifications/${record.certificate.code}`;

let peakRss = process.memoryUsage().rss;
const sampleRss = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const firstStarted = performance.now();
const first = await recordPdf(record, path);
const firstMs = performance.now() - firstStarted;

const cpuBefore = process.cpuUsage();
const started = performance.now();
let bytes = 0;
/** A PDF starts with its header, `%PDF-`: an empty or broken render must not count as fast. */
let everyPdfWellFormed = first.subarray(0, 5).toString('latin1') === '%PDF-';
for (let i = 0; i < pdfCount; i += 1) {
  const pdf = await recordPdf(record, path);
  bytes += pdf.length;
  everyPdfWellFormed &&= pdf.subarray(0, 5).toString('latin1') === '%PDF-';
}
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampleRss);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const figures = {
  entries: entryCount,
  pdfs: pdfCount,
  pdfsPerSecond: Number(((pdfCount * 1000) / elapsedMs).toFixed(1)),
  cpuMsPerPdf: Number(((cpu.user + cpu.system) / 1000 / pdfCount).toFixed(1)),
  wallMsPerPdf: Number((elapsedMs / pdfCount).toFixed(1)),
  firstPdfMs: Math.round(firstMs),
  pdfKiB: Math.round(bytes / pdfCount / 1024),
  firstPdfKiB: Math.round(first.length / 1024),
  peakRssMiB: Math.round(peakRss / 1024 / 1024),
  everyPdfWellFormed,
};
console.log(`PDF exports of a ${entryCount}-entry year, ${pdfCount} in a row on one core:`);
console.log(
  `  ${figures.pdfsPerSecond} PDFs/s, ${figures.cpuMsPerPdf} ms CPU and ${figures.wallMsPerPdf} ms wall per PDF`,
);
console.log(
  `  first PDF (reads and parses the font) ${figures.firstPdfMs} ms; ${figures.pdfKiB} KiB a PDF; peak RSS ${figures.peakRssMiB} MiB`,
);
// The README sets no speed goal for exports.
printBenchSummary('scoring.exports', figures, { everyPdfWellFormed: { equals: true } });
