/**
 * Who reads entries: the contest's managers and area officers every entry,
 * judges the entries assigned to them, an entrant their own. Anything else
 * reads as "not found".
 */
import type { Readable } from 'node:stream';
import { hasRole, type Principal, Scope } from '@learning/auth';
import { AppError } from '@learning/errors';
import { findOpenCall, findReadable } from './access.js';
import { CONTEST_ATTACHMENT_NOT_FOUND, contestErrors, entryNotFound } from './errors.js';
import type {
  AttachmentRef,
  AttachmentStore,
  ContestRepository,
  EntryRepository,
  Page,
  StoredEntry,
} from './ports.js';
import { DEFAULT_PAGE_SIZE } from '@learning/http';

/**
 * How much of an entry its reader sees: overseers (managers, area officers)
 * all of it; the entrant their entry without the judging; a judge the letter
 * and their own scorecard, not who wrote it (judging is blind).
 */
export type EntryViewer = 'overseer' | 'entrant' | 'judge';

export interface EntryView {
  readonly entry: StoredEntry;
  readonly viewer: EntryViewer;
}

export interface ReadEntriesDeps {
  readonly contests: ContestRepository;
  readonly entries: EntryRepository;
  readonly attachments: AttachmentStore;
}

/** The scope a manager or area officer reads the contest's entries in; null for anyone else. */
async function readerScope(
  deps: ReadEntriesDeps,
  principal: Principal,
  contestId: string,
): Promise<Scope | null> {
  try {
    return (await findReadable(deps.contests, principal, contestId)).scope;
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') return null;
    throw error;
  }
}

async function findVisibleEntry(
  deps: ReadEntriesDeps,
  principal: Principal,
  contestId: string,
  entryId: string,
): Promise<EntryView> {
  const scope = await readerScope(deps, principal, contestId);
  const entry = await deps.entries.get(scope ?? Scope.cityWide(), contestId, entryId);
  if (entry !== null) {
    if (scope !== null) return { entry, viewer: 'overseer' };
    if (hasRole(principal, 'participant') && entry.participantId === principal.subject)
      return { entry, viewer: 'entrant' };
    if (hasRole(principal, 'expert') && entry.judges.includes(principal.subject))
      return { entry, viewer: 'judge' };
  }
  throw entryNotFound();
}

export function getEntry(deps: ReadEntriesDeps) {
  return (principal: Principal, contestId: string, entryId: string): Promise<EntryView> =>
    findVisibleEntry(deps, principal, contestId, entryId);
}

export function getOwnEntry(deps: ReadEntriesDeps) {
  return async (principal: Principal, contestId: string): Promise<EntryView> => {
    const entry = await deps.entries.findOf(contestId, principal.subject);
    if (entry === null) throw entryNotFound();
    return { entry, viewer: 'entrant' };
  };
}

export function listEntries(deps: ReadEntriesDeps) {
  return async (
    principal: Principal,
    contestId: string,
    request: { readonly pageSize?: number; readonly pageToken?: string },
  ): Promise<{ page: Page<StoredEntry>; viewer: EntryViewer }> => {
    const paging = {
      pageSize: request.pageSize ?? DEFAULT_PAGE_SIZE,
      ...(request.pageToken === undefined ? {} : { pageToken: request.pageToken }),
    };
    const scope = await readerScope(deps, principal, contestId);
    if (scope !== null)
      return { page: await deps.entries.list(scope, { contestId, ...paging }), viewer: 'overseer' };
    if (!hasRole(principal, 'expert')) throw entryNotFound();
    await findOpenCall(deps.contests, contestId);
    const page = await deps.entries.list(Scope.cityWide(), {
      contestId,
      judgeId: principal.subject,
      ...paging,
    });
    return { page, viewer: 'judge' };
  };
}

export function openEntryAttachment(deps: ReadEntriesDeps) {
  return async (
    principal: Principal,
    contestId: string,
    entryId: string,
  ): Promise<{ attachment: AttachmentRef; content: Readable }> => {
    const { entry } = await findVisibleEntry(deps, principal, contestId, entryId);
    if (entry.attachment === null)
      throw contestErrors.error(CONTEST_ATTACHMENT_NOT_FOUND, 'This entry has no attached file.');
    return {
      attachment: entry.attachment,
      content: deps.attachments.open(entry.attachment.fileRef),
    };
  };
}

export type GetEntry = ReturnType<typeof getEntry>;
export type GetOwnEntry = ReturnType<typeof getOwnEntry>;
export type ListEntries = ReturnType<typeof listEntries>;
export type OpenEntryAttachment = ReturnType<typeof openEntryAttachment>;
