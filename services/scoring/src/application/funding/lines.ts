/** The office keeps the city's yearly allocation as lines: adds them, lists them, changes an amount. */
import { actorOf, type AuditTrail } from '@learning/audit';
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import { domainCall, formatYuan, type Fen } from '@learning/domain';
import type { OutboxEntry } from '@learning/events';
import { randomUUID } from 'node:crypto';
import { checkLineCode } from '../../domain/funding.js';
import type { FundingLine, FundingLines, Page, PageAsk } from './ports.js';

export interface LinesDeps {
  readonly lines: FundingLines;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export interface NewLineRequest {
  readonly year: number;
  readonly code: string;
  readonly name: string;
  readonly purpose: string;
  readonly amountFen: Fen;
}

/** What the audit log keeps of a line: the office's own figures, no one's personal data. */
const lineAuditView = (
  line: Pick<FundingLine, 'year' | 'code' | 'name' | 'purpose' | 'amountFen'>,
) => ({
  year: line.year,
  code: line.code,
  name: line.name,
  purpose: line.purpose,
  amountYuan: formatYuan(line.amountFen),
});

function lineAudit(
  audit: AuditTrail,
  principal: Principal,
  action: 'funding_line.create' | 'funding_line.amount',
  id: string,
  before: FundingLine | null,
  after: Parameters<typeof lineAuditView>[0],
): OutboxEntry {
  return audit.entry({
    actor: actorOf(principal),
    action,
    entityType: 'funding_line',
    entityId: id,
    jurisdictionPath: CITY_WIDE_PATH,
    before: before === null ? null : lineAuditView(before),
    after: lineAuditView(after),
  });
}

export type CreateLine = (principal: Principal, request: NewLineRequest) => Promise<FundingLine>;

export const createLine =
  ({ lines, audit, clock }: LinesDeps): CreateLine =>
  async (principal, request) => {
    domainCall(() => {
      checkLineCode(request.code);
    });
    const now = clock();
    const id = randomUUID();
    return lines.create({
      id,
      ...request,
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
      events: [lineAudit(audit, principal, 'funding_line.create', id, null, request)],
    });
  };

export type ListLines = (year: number | undefined, page: PageAsk) => Promise<Page<FundingLine>>;

export const listLines =
  ({ lines }: Pick<LinesDeps, 'lines'>): ListLines =>
  (year, page) =>
    lines.list(year, page);

export type GetLine = (id: string) => Promise<FundingLine | undefined>;

export const getLine =
  ({ lines }: Pick<LinesDeps, 'lines'>): GetLine =>
  (id) =>
    lines.get(id);

export interface AmountRequest {
  readonly amountFen: Fen;
  readonly expectedRevision?: number;
}

export type ChangeLineAmount = (
  principal: Principal,
  id: string,
  request: AmountRequest,
) => Promise<FundingLine>;

/** What remains moves by the difference; the store refuses an amount below what is committed. */
export const changeLineAmount =
  ({ lines, audit, clock }: LinesDeps): ChangeLineAmount =>
  (principal, id, request) =>
    lines.changeAmount({
      id,
      amountFen: request.amountFen,
      ...(request.expectedRevision === undefined
        ? {}
        : { expectedRevision: request.expectedRevision }),
      updatedAt: clock(),
      events: (before) => [
        lineAudit(audit, principal, 'funding_line.amount', id, before, {
          ...before,
          amountFen: request.amountFen,
        }),
      ],
    });
