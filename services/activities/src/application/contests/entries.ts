/**
 * A participant enters a contest: uploads the letter's file (optional), then
 * submits the entry once, with their school or organization if any. The age
 * band is checked against the birth date of the entrant's registered ID
 * number when registration has one (a typed date must then agree), else
 * against the date they type; the domain checks the window, the age band and
 * the sizes.
 */
import { domainCall } from '@learning/domain';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { attachmentTooLarge } from '@learning/attachments';
import { actorOf } from '@learning/audit';
import { type Principal, Scope } from '@learning/auth';
import type { CalendarDate } from '@learning/domain';
import {
  assertEntriesOpen,
  checkSubmission,
  CONTEST_ATTACHMENT_TOO_LARGE,
  entrantBirthDate,
  MAX_ATTACHMENT_BYTES,
} from '../../domain/contests.js';
import type { Participants } from '../ports.js';
import { findOpenCall } from './access.js';
import { CONTEST_ATTACHMENT_UNKNOWN, contestErrors } from './errors.js';
import type {
  AttachmentStore,
  ContestRepository,
  EntryRepository,
  StoredAttachment,
  StoredEntry,
  WriteDeps,
} from './ports.js';
import { domainContestOf, entryAuditView } from './views.js';

export interface EntryDeps extends WriteDeps {
  readonly contests: ContestRepository;
  readonly entries: EntryRepository;
  readonly attachments: AttachmentStore;
  /** Registration's participants, for the verified birth date. */
  readonly participants: Participants;
}

export interface UploadRequest {
  readonly fileName: string;
  readonly contentType: string;
  /** What the client declared, when it did: a larger upload is refused before it is read. */
  readonly declaredBytes?: number;
  readonly content: Readable;
}

export function uploadAttachment(deps: EntryDeps) {
  return async (
    principal: Principal,
    contestId: string,
    request: UploadRequest,
  ): Promise<StoredAttachment> => {
    const contest = await findOpenCall(deps.contests, contestId);
    domainCall(() => {
      assertEntriesOpen(domainContestOf(contest), deps.clock());
    });
    if (request.declaredBytes !== undefined && request.declaredBytes > MAX_ATTACHMENT_BYTES)
      throw attachmentTooLarge(CONTEST_ATTACHMENT_TOO_LARGE, MAX_ATTACHMENT_BYTES);
    return deps.attachments.save(request.content, {
      attachedTo: contestId,
      ownerId: principal.subject,
      fileName: request.fileName,
      contentType: request.contentType,
      maxBytes: MAX_ATTACHMENT_BYTES,
    });
  };
}

export interface SubmitEntryRequest {
  readonly text: string;
  /** The reference an upload returned. */
  readonly fileRef?: string;
  /** As typed; needed only when registration has no verified one, and must agree with it otherwise. */
  readonly birthDate?: CalendarDate;
  readonly organizationId?: string;
}

export function submitEntry(deps: EntryDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (
    principal: Principal,
    contestId: string,
    request: SubmitEntryRequest,
  ): Promise<StoredEntry> => {
    const contest = await findOpenCall(deps.contests, contestId);
    const attachment =
      request.fileRef === undefined ? null : await deps.attachments.find(request.fileRef);
    // Someone else's file, or one uploaded for another contest, is as good as unknown.
    if (
      request.fileRef !== undefined &&
      (attachment === null ||
        attachment.ownerId !== principal.subject ||
        attachment.attachedTo !== contestId)
    )
      throw contestErrors.error(
        CONTEST_ATTACHMENT_UNKNOWN,
        'Upload the file to this contest first and send the fileRef it returned.',
        { details: [{ field: '/fileRef', message: 'is not a file you uploaded here' }] },
      );
    const now = deps.clock();
    const organizationId = request.organizationId ?? null;
    const registered = (await deps.participants.byAccounts([principal.subject])).get(
      principal.subject,
    );
    const birthDate = domainCall(() =>
      entrantBirthDate(registered?.birthDate ?? null, request.birthDate ?? null),
    );
    const checked = domainCall(() =>
      checkSubmission(
        domainContestOf(contest),
        { birthDate, organizationId },
        {
          text: request.text,
          attachment:
            attachment === null
              ? null
              : { fileRef: attachment.fileRef, bytes: attachment.sizeBytes },
        },
        now,
      ),
    );
    const entry: Omit<StoredEntry, 'version'> = {
      id: newId(),
      contestId,
      participantId: principal.subject,
      jurisdictionPath: [...contest.jurisdictionPath],
      organizationId,
      birthDate: checked.birthDate,
      text: checked.text,
      attachment:
        attachment === null
          ? null
          : {
              fileRef: attachment.fileRef,
              fileName: attachment.fileName,
              contentType: attachment.contentType,
              sizeBytes: attachment.sizeBytes,
              sha256: attachment.sha256,
            },
      judges: [],
      scorecards: [],
      submittedAt: now,
      updatedAt: now,
    };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'contest_entry.submit',
      entityType: 'contest_entry',
      entityId: entry.id,
      jurisdictionPath: entry.jurisdictionPath,
      before: null,
      after: entryAuditView(entry),
    });
    return deps.entries.create(Scope.cityWide(), { ...entry, events: [audit] });
  };
}

export type UploadAttachment = ReturnType<typeof uploadAttachment>;
export type SubmitEntry = ReturnType<typeof submitEntry>;
