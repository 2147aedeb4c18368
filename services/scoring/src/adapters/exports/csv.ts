/**
 * A learning record as CSV (RFC 4180: CRLF, quoted where needed), UTF-8 with
 * a byte-order mark so that Excel opens the Chinese correctly. One header row
 * in Chinese (the README lists each column's English meaning), then one row
 * per ledger entry in event-time order, reversals included. The verification
 * code travels in the file name and the `verification-code` header.
 */
import { chinaDateOf } from '@learning/domain';
import { stringify } from 'csv-stringify/sync';
import type { RecordExport } from '../../application/records/export-record.js';
import { formatCredits, formatHours } from '../../domain/credits.js';
import {
  categoryLabel,
  REASON_LABELS,
  SOURCE_LABELS,
  type RecordEntry,
} from '../../domain/records.js';

/** The columns, in order: header text (Chinese) and the value of an entry. */
export const CSV_COLUMNS: readonly {
  readonly header: string;
  readonly value: (entry: RecordEntry) => string;
}[] = [
  { header: '日期', value: (entry) => chinaDateOf(entry.occurredAt) },
  { header: '学习内容', value: (entry) => entry.title },
  { header: '来源', value: (entry) => SOURCE_LABELS[entry.source] },
  { header: '类别', value: (entry) => categoryLabel(entry.category) },
  { header: '规则', value: (entry) => entry.ruleId },
  { header: '规则版本', value: (entry) => String(entry.ruleVersion) },
  { header: '学分', value: (entry) => formatCredits(entry.amount) },
  { header: '学时', value: (entry) => formatHours(entry.minutes) },
  { header: '说明', value: (entry) => REASON_LABELS[entry.reason] },
];

export function recordCsv(record: Pick<RecordExport, 'entries'>): Buffer {
  return Buffer.from(
    stringify(
      record.entries.map((entry) => CSV_COLUMNS.map((column) => column.value(entry))),
      {
        bom: true,
        header: true,
        columns: CSV_COLUMNS.map((column) => column.header),
        record_delimiter: 'windows',
      },
    ),
    'utf8',
  );
}
