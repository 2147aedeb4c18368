/**
 * Reading the programme: the public listing and a session's public page (with
 * its forum's name and its speakers as the programme prints them), an
 * expert's own sessions, and what other services ask over gRPC.
 */
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import { DEFAULT_PAGE_SIZE } from '@learning/http';
import { queryGrams } from '@learning/search';
import type { SessionStatus } from '../../domain/sessions.js';
import type { Jurisdictions } from '../ports.js';
import {
  EXPERT_NOT_IN_POOL,
  PROGRAMME_JURISDICTION_NOT_FOUND,
  PROGRAMME_RANGE_INVALID,
  PROGRAMME_SEARCH_EMPTY,
  programmeErrors,
  sessionNotFound,
} from './errors.js';
import type {
  ProgrammeDirectory,
  ProgrammeQuery,
  ProgrammeRepository,
  ProgrammeSession,
  SessionPage,
  SpeakerFacts,
} from './ports.js';

/** What the programme lists: what one can still go to, and what took place. */
const ON_STATUSES: readonly SessionStatus[] = ['scheduled', 'held'];

export interface ProgrammeReadsDeps {
  readonly sessions: ProgrammeRepository;
  readonly directory: ProgrammeDirectory;
  readonly jurisdictions: Jurisdictions;
  readonly clock: () => Date;
}

/** A session with the names the programme prints beside it. */
export interface SessionView {
  readonly session: ProgrammeSession;
  /** Empty when the forum is gone. */
  readonly forumName: string;
  /** In the session's order; a speaker no longer in the pool is left out. */
  readonly speakers: readonly SpeakerFacts[];
}

export interface ViewPage {
  readonly items: SessionView[];
  readonly nextPageToken: string | null;
}

export interface PublicListRequest extends Omit<ProgrammeQuery, 'grams' | 'statuses' | 'pageSize'> {
  /** Words to find in the title or description. */
  readonly q?: string;
  readonly pageSize?: number;
}

export interface PlaceRequest {
  readonly jurisdictionCode: string;
  readonly from: Date;
  readonly to: Date;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface OwnSessionsRequest {
  readonly pageSize?: number;
  readonly pageToken?: string;
}

const rangeInvalid = (): AppError =>
  new AppError('invalid_argument', PROGRAMME_RANGE_INVALID, 'The range ends before it starts.', {
    details: [{ field: '/to', message: 'The range ends before it starts.' }],
  });

/**
 * An expert's page token: which part of their sessions it continues (not yet
 * ended, then ended), the instant that divides them (fixed on the first
 * page, so every page of one walk agrees), and the store's own cursor.
 */
const SEPARATOR = '~';
const PAGE_TOKEN = /^(u|p)~(\d{1,15})~(.*)$/s;

function ownPosition(token: string | undefined, now: Date) {
  if (token === undefined) return { period: 'upcoming' as const, since: now, inner: undefined };
  const match = PAGE_TOKEN.exec(token);
  if (match === null)
    throw new AppError(
      'invalid_argument',
      'CURSOR_INVALID',
      'The page cursor is not valid for this query; start again from the first page.',
    );
  const [, period, since, inner] = match;
  return {
    period: period === 'u' ? ('upcoming' as const) : ('past' as const),
    since: new Date(Number(since)),
    inner: inner === '' ? undefined : inner,
  };
}

export function programmeReads(deps: ProgrammeReadsDeps) {
  async function viewsOf(sessions: readonly ProgrammeSession[]): Promise<SessionView[]> {
    const [forums, speakers] = await Promise.all([
      deps.directory.forums([...new Set(sessions.map((session) => session.forumId))]),
      deps.directory.speakers([...new Set(sessions.flatMap((session) => session.speakerIds))]),
    ]);
    return sessions.map((session) => ({
      session,
      forumName: forums.get(session.forumId)?.name ?? '',
      speakers: session.speakerIds.flatMap((id) => {
        const speaker = speakers.get(id);
        return speaker === undefined ? [] : [speaker];
      }),
    }));
  }
  const pageOfViews = async (page: SessionPage): Promise<ViewPage> => ({
    items: await viewsOf(page.items),
    nextPageToken: page.nextPageToken,
  });

  async function find(id: string): Promise<ProgrammeSession> {
    const session = await deps.sessions.get(id);
    if (session === null) throw sessionNotFound();
    return session;
  }

  return {
    find,

    /** Anyone: scheduled and held sessions, earliest first, filtered and searched. */
    async listPublic(request: PublicListRequest): Promise<ViewPage> {
      const { q, pageSize, ...filters } = request;
      if (
        filters.from !== undefined &&
        filters.to !== undefined &&
        filters.to.getTime() <= filters.from.getTime()
      )
        throw rangeInvalid();
      let grams: string[] | undefined;
      if (q !== undefined) {
        grams = queryGrams(q);
        if (grams.length === 0)
          throw new AppError(
            'invalid_argument',
            PROGRAMME_SEARCH_EMPTY,
            'The search has no letters, digits or characters to look for.',
            { details: [{ field: '/q', message: 'Nothing to look for.' }] },
          );
      }
      return pageOfViews(
        await deps.sessions.listPublic({
          ...filters,
          ...(grams === undefined ? {} : { grams }),
          statuses: ON_STATUSES,
          pageSize: pageSize ?? DEFAULT_PAGE_SIZE,
        }),
      );
    },

    /** Anyone, and other services: any session, a cancelled one as cancelled. */
    async getPublic(id: string): Promise<SessionView> {
      const [view] = await viewsOf([await find(id)]);
      if (view === undefined) throw sessionNotFound();
      return view;
    },

    /** An expert: the sessions they speak at, those not yet ended first (earliest first), then the rest (latest first). */
    async ownSessions(principal: Principal, request: OwnSessionsRequest): Promise<ViewPage> {
      const expertId = await deps.directory.expertIdOf(principal.subject);
      if (expertId === null)
        throw programmeErrors.error(
          EXPERT_NOT_IN_POOL,
          'Your account is not in the expert pool; ask the office.',
        );
      const position = ownPosition(request.pageToken, deps.clock());
      const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
      const sinceText = String(position.since.getTime());
      const page = await deps.sessions.listBySpeaker({
        expertId,
        period: position.period,
        since: position.since,
        pageSize,
        ...(position.inner === undefined ? {} : { pageToken: position.inner }),
      });
      let next: string | null = null;
      if (page.nextPageToken !== null)
        next = [position.period === 'upcoming' ? 'u' : 'p', sinceText, page.nextPageToken].join(
          SEPARATOR,
        );
      // The upcoming part is done: the ended sessions follow, from their first page.
      else if (position.period === 'upcoming') next = ['p', sinceText, ''].join(SEPARATOR);
      return pageOfViews({ items: page.items, nextPageToken: next });
    },

    /** For other services: scheduled and held sessions starting in a subtree within [from, to). */
    async listInPlace(request: PlaceRequest): Promise<ViewPage> {
      if (request.to.getTime() <= request.from.getTime()) throw rangeInvalid();
      const known = await deps.jurisdictions.find([request.jurisdictionCode]);
      if (!known.has(request.jurisdictionCode))
        throw programmeErrors.error(
          PROGRAMME_JURISDICTION_NOT_FOUND,
          'There is no jurisdiction with that code.',
        );
      return pageOfViews(await deps.sessions.listStarting({ ...request, statuses: ON_STATUSES }));
    },
  };
}

export type ProgrammeReads = ReturnType<typeof programmeReads>;
