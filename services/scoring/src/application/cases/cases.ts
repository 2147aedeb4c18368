/**
 * Exemplary cases (§6.3): the office writes an awardee's story, publishes it
 * only on the awardee's standing consent (a person's own, an organization's
 * admin's), and a withdrawal of consent takes it out of the public feed.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, systemActor, type AuditActor, type AuditTrail } from '@learning/audit';
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import {
  awardCategoryMapping,
  evaluationEvents,
  organizationKindMapping,
} from '@learning/contracts';
import { domainCall, partsOf, type CalendarDate } from '@learning/domain';
import { newEvent, type OutboxEntry } from '@learning/events';
import { common } from '@learning/proto';
import { checkConsent, type Consent } from '../../domain/awards.js';
import type { Page } from '../awards/ports.js';
import {
  caseAwardNotFound,
  caseAwardNotPublished,
  caseNotFound,
  caseNotPublishable,
  caseNotPublished,
} from './errors.js';
import type {
  AwardReader,
  CaseStore,
  ExemplaryCase,
  OrganizationAdmins,
  PublicCasePages,
  PublicCaseQuery,
  PublicityConsents,
} from './ports.js';

export interface CasesDeps {
  readonly cases: CaseStore;
  readonly awards: AwardReader;
  readonly admins: OrganizationAdmins;
  readonly publicPages: PublicCasePages;
  readonly publicity: PublicityConsents;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
}

export interface ConsentRequest {
  readonly given: boolean;
  readonly by: string;
  readonly recordedOn: CalendarDate;
  readonly documentRef: string;
}

export interface CreateCaseRequest {
  readonly awardId: string;
  readonly title: string;
  readonly body: string;
  readonly images: readonly { readonly fileRef: string; readonly caption: string }[];
  readonly consent: ConsentRequest | null;
}

/** What the audit log keeps of a case: ids, status and whether consent stands; no names, no text. */
function caseAudit(
  audit: AuditTrail,
  actor: AuditActor,
  action: 'award_case.create' | 'award_case.publish' | 'award_case.withdraw',
  exemplaryCase: ExemplaryCase,
  reason?: string,
): OutboxEntry {
  return audit.entry({
    actor,
    action,
    entityType: 'award_case',
    entityId: exemplaryCase.id,
    jurisdictionPath: CITY_WIDE_PATH,
    before: null,
    after: {
      awardId: exemplaryCase.award.id,
      status: exemplaryCase.status,
      consentGiven: exemplaryCase.consent?.given ?? false,
      consentDocumentRef: exemplaryCase.consent?.documentRef ?? null,
    },
    ...(reason === undefined ? {} : { reason }),
  });
}

/** CasePublished, keyed by the awardee, as awards are. */
const casePublished = (exemplaryCase: ExemplaryCase, at: Date): OutboxEntry =>
  newEvent(evaluationEvents.CasePublished, exemplaryCase.award.nominee.id, {
    caseId: exemplaryCase.id,
    awardId: exemplaryCase.award.id,
    year: exemplaryCase.award.year,
    category: awardCategoryMapping.toProto(exemplaryCase.award.category),
    organizationKind:
      exemplaryCase.award.organizationKind === null
        ? common.OrganizationKind.ORGANIZATION_KIND_UNSPECIFIED
        : organizationKindMapping.toProto(exemplaryCase.award.organizationKind),
    title: exemplaryCase.title,
    jurisdictionPath: [...exemplaryCase.award.nominee.jurisdictionPath],
    publishedAt: at,
  });

export type CreateCase = (
  principal: Principal,
  request: CreateCaseRequest,
) => Promise<ExemplaryCase>;

export const createCase =
  ({ cases, awards, audit, clock }: CasesDeps): CreateCase =>
  async (principal, request) => {
    const now = clock();
    if (request.consent !== null) domainCall(() => partsOf(request.consent?.recordedOn ?? ''));
    const award = await awards.award(request.awardId);
    if (award === null) throw caseAwardNotFound();
    const consent: Consent | null =
      request.consent === null ? null : { ...request.consent, withdrawnAt: null };
    const exemplaryCase: ExemplaryCase = {
      id: randomUUID(),
      award,
      title: request.title,
      body: request.body,
      images: request.images.map(({ fileRef, caption }) => ({ fileRef, caption })),
      consent,
      status: 'draft',
      publishedAt: null,
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    await cases.create(exemplaryCase, [
      caseAudit(audit, actorOf(principal), 'award_case.create', exemplaryCase),
    ]);
    return exemplaryCase;
  };

export type GetCase = (id: string) => Promise<ExemplaryCase>;

export const getCase =
  (cases: CaseStore): GetCase =>
  async (id) => {
    const found = await cases.get(id);
    if (found === null) throw caseNotFound();
    return found;
  };

export type PublishCase = (principal: Principal, id: string) => Promise<ExemplaryCase>;

export const publishCase =
  ({ cases, awards, admins, publicPages, publicity, audit, clock }: CasesDeps): PublishCase =>
  async (principal, id) => {
    const now = clock();
    const exemplaryCase = await cases.get(id);
    if (exemplaryCase === null) throw caseNotFound();
    if (exemplaryCase.status !== 'draft') throw caseNotPublishable();
    const award = await awards.award(exemplaryCase.award.id);
    if (award === null || award.publishedAt === null) throw caseAwardNotPublished();
    const nominee = exemplaryCase.award.nominee;
    const adminIds = nominee.kind === 'organization' ? await admins.of(nominee.id) : [];
    const withdrawn = nominee.kind === 'person' && (await publicity.withdrawn(nominee.id));
    domainCall(() => {
      checkConsent(exemplaryCase.consent, nominee, adminIds, withdrawn);
    });
    const published: ExemplaryCase = {
      ...exemplaryCase,
      status: 'published',
      publishedAt: now,
      updatedAt: now,
    };
    const changed = await cases.change({
      id,
      from: 'draft',
      status: 'published',
      consent: exemplaryCase.consent,
      publishedAt: now,
      updatedAt: now,
      events: [
        casePublished(published, now),
        caseAudit(audit, actorOf(principal), 'award_case.publish', published),
      ],
    });
    if (changed === null) throw caseNotPublishable();
    await publicPages.invalidate();
    return changed;
  };

export type WithdrawCase = (
  principal: Principal,
  id: string,
  reason: string,
) => Promise<ExemplaryCase>;

/** Takes a published case out of the feed for good; null when it was not published (any more). */
async function withdrawPublished(
  { cases, audit, clock }: CasesDeps,
  actor: AuditActor,
  exemplaryCase: ExemplaryCase,
  reason: string,
): Promise<ExemplaryCase | null> {
  const now = clock();
  const consent: Consent | null =
    exemplaryCase.consent === null ? null : { ...exemplaryCase.consent, withdrawnAt: now };
  const withdrawn: ExemplaryCase = {
    ...exemplaryCase,
    status: 'withdrawn',
    consent,
    updatedAt: now,
  };
  return cases.change({
    id: exemplaryCase.id,
    from: 'published',
    status: 'withdrawn',
    consent,
    publishedAt: null,
    updatedAt: now,
    events: [caseAudit(audit, actor, 'award_case.withdraw', withdrawn, reason)],
  });
}

/** The awardee withdrew their consent (the office records it): the case leaves the feed and is not published again. */
export const withdrawCase =
  (deps: CasesDeps): WithdrawCase =>
  async (principal, id, reason) => {
    const exemplaryCase = await deps.cases.get(id);
    if (exemplaryCase === null) throw caseNotFound();
    if (exemplaryCase.status !== 'published') throw caseNotPublished();
    const changed = await withdrawPublished(deps, actorOf(principal), exemplaryCase, reason);
    if (changed === null) throw caseNotPublished();
    await deps.publicPages.invalidate();
    return changed;
  };

export type WithdrawCasesOfPerson = (participantId: string) => Promise<number>;

/**
 * The person withdrew publicity in their account (registration's consent
 * event): each of their published cases leaves the feed at once, as an
 * office withdrawal would take it; none left is nothing to do.
 */
export const withdrawCasesOfPerson =
  (deps: CasesDeps): WithdrawCasesOfPerson =>
  async (participantId) => {
    const actor = systemActor('publicity-consent-withdrawn');
    let withdrawn = 0;
    for (const exemplaryCase of await deps.cases.publishedOfPerson(participantId))
      if ((await withdrawPublished(deps, actor, exemplaryCase, 'consent withdrawn')) !== null)
        withdrawn += 1;
    // Always: a redelivery after a crash between the change and this clears what was cached.
    await deps.publicPages.invalidate();
    return withdrawn;
  };

export type PublicCases = (query: PublicCaseQuery) => Promise<Page<ExemplaryCase>>;

export const publicCases =
  (cases: CaseStore): PublicCases =>
  (query) =>
    cases.published(query);

export type PublicCase = (id: string) => Promise<ExemplaryCase>;

export const publicCase =
  (cases: CaseStore): PublicCase =>
  async (id) => {
    const found = await cases.get(id);
    if (found?.status !== 'published') throw caseNotFound();
    return found;
  };
