/**
 * Sponsorships and donations received (社会赞助, 自愿捐助): the office records
 * them anywhere, an area officer in their own area; each names the place it
 * benefits by code, resolved through the city's directory.
 */
import { actorOf, type AuditTrail } from '@learning/audit';
import { hasRole, mayActIn, type Principal } from '@learning/auth';
import { domainCall, formatYuan, type Fen } from '@learning/domain';
import { randomUUID } from 'node:crypto';
import { receiptYearOf } from '../../domain/funding.js';
import { isOffice } from '../evaluation/access.js';
import { jurisdictionUnknown, outOfScope } from './errors.js';
import type {
  FundingReceipt,
  FundingReceipts,
  Page,
  PageAsk,
  Places,
  ReceiptQuery,
  ReceiptSource,
} from './ports.js';

export interface ReceiptsDeps {
  readonly receipts: FundingReceipts;
  readonly places: Places;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export interface ReceiptRequest {
  readonly source: ReceiptSource;
  readonly donor: string;
  readonly amountFen: Fen;
  readonly inKind: string;
  readonly programme: string;
  readonly jurisdictionCode: string;
  readonly receivedOn: string;
}

/** The donor is a name the giver agreed to be published under: the audit keeps it, as the receipt does. */
const receiptAuditView = (receipt: FundingReceipt) => ({
  year: receipt.year,
  source: receipt.source,
  donor: receipt.donor,
  amountYuan: formatYuan(receipt.amountFen),
  inKind: receipt.inKind,
  programme: receipt.programme,
  receivedOn: receipt.receivedOn,
});

async function placePath(places: Places, code: string): Promise<readonly string[]> {
  const place = (await places.find([code])).get(code);
  if (place === undefined) throw jurisdictionUnknown();
  return place.path;
}

export type RecordReceipt = (
  principal: Principal,
  request: ReceiptRequest,
) => Promise<FundingReceipt>;

export const recordReceipt =
  ({ receipts, places, audit, clock }: ReceiptsDeps): RecordReceipt =>
  async (principal, request) => {
    const year = domainCall(() => receiptYearOf(request.receivedOn));
    const jurisdictionPath = await placePath(places, request.jurisdictionCode);
    if (!isOffice(principal) && !mayActIn(principal, jurisdictionPath)) throw outOfScope();
    const receipt: FundingReceipt = {
      id: randomUUID(),
      year,
      source: request.source,
      donor: request.donor,
      amountFen: request.amountFen,
      inKind: request.inKind,
      programme: request.programme,
      receivedOn: request.receivedOn,
      jurisdictionPath,
      recordedBy: principal.subject,
      createdAt: clock(),
    };
    return receipts.record(receipt, [
      audit.entry({
        actor: actorOf(principal),
        action: 'funding_receipt.create',
        entityType: 'funding_receipt',
        entityId: receipt.id,
        jurisdictionPath,
        before: null,
        after: receiptAuditView(receipt),
      }),
    ]);
  };

export type ListReceipts = (
  principal: Principal,
  query: Omit<ReceiptQuery, 'within'>,
  page: PageAsk,
) => Promise<Page<FundingReceipt>>;

/** The office and department officers read the whole city; area officers their own area. */
export const listReceipts =
  ({ receipts, places }: Pick<ReceiptsDeps, 'receipts' | 'places'>): ListReceipts =>
  async (principal, query, page) => {
    if (query.jurisdictionCode !== undefined) {
      const path = await placePath(places, query.jurisdictionCode);
      if (!readsCityWide(principal) && !mayActIn(principal, path)) throw outOfScope();
    }
    return receipts.list(
      readsCityWide(principal) ? query : { ...query, within: principal.jurisdictions },
      page,
    );
  };

/** Who reads every area's funding: the office, department officers and city-wide officers. */
export const readsCityWide = (principal: Principal): boolean =>
  isOffice(principal) || hasRole(principal, 'department_officer') || principal.cityWide;
