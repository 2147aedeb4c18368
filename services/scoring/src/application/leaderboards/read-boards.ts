/**
 * Reading the boards: the public top lists (persons by masked name only,
 * never their ids; organizations, public bodies, in full) and a
 * participant's own rank. Ranks share a place on ties ("1, 2, 2, 4").
 */
import {
  boardNamed,
  HOLDERS_OF,
  ranksWithTies,
  type Board,
  type BoardScope,
} from '../../domain/boards.js';
import type { Hundredths } from '../../domain/credits.js';
import type { Participants } from '../ports.js';
import {
  leaderboardNotFound,
  notForPersons,
  pageTokenInvalid,
  participantNotRegistered,
} from './errors.js';
import type { BoardStore, MaskedNames, OrganizationCards } from './ports.js';

export interface ReadBoardsDeps {
  readonly boards: BoardStore;
  readonly names: MaskedNames;
  readonly organizations: OrganizationCards;
  readonly participants: Participants;
}

export interface BoardQuery {
  readonly family: string;
  readonly subject: string;
  readonly scope: BoardScope;
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface RankedHolder {
  readonly rank: number;
  /** Masked for persons (张*明); in full for organizations. */
  readonly name: string;
  readonly credits: Hundredths;
  /** Organizations' ids; null for persons, whose ids public lists never show. */
  readonly organizationId: string | null;
}

export interface BoardView {
  readonly board: Board;
  readonly scope: BoardScope;
  /** Holders ranked on the whole board. */
  readonly total: number;
  readonly items: readonly RankedHolder[];
  readonly nextPageToken: string | null;
}

export interface OwnRank {
  readonly board: Board;
  readonly scope: BoardScope;
  /** Null when the person has no credits counted on the board. */
  readonly rank: number | null;
  readonly credits: Hundredths;
  readonly total: number;
}

const OFFSET = /^[1-9]\d{0,8}$/;

/** The page token is the next page's offset, opaque to callers. */
const tokenOf = (offset: number): string => Buffer.from(`o${offset}`).toString('base64url');

function offsetOf(token: string | undefined): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const digits = text.slice(1);
  // Only the spelling tokenOf makes: Node's decoder would accept stray characters.
  if (!text.startsWith('o') || !OFFSET.test(digits) || tokenOf(Number(digits)) !== token)
    throw pageTokenInvalid();
  return Number(digits);
}

function boardOf(family: string, subject: string): Board {
  const board = boardNamed(family, subject);
  if (board === null) throw leaderboardNotFound();
  return board;
}

export function readBoards(deps: ReadBoardsDeps) {
  const { boards, names, organizations, participants } = deps;

  async function namesOf(
    board: Board,
    members: readonly string[],
  ): Promise<ReadonlyMap<string, string>> {
    if (HOLDERS_OF[board.family] === 'person') return names.of(members);
    const cards = await organizations.of(members);
    return new Map([...cards].map(([id, card]) => [id, card.name]));
  }

  return {
    async page(query: BoardQuery): Promise<BoardView> {
      const board = boardOf(query.family, query.subject);
      const offset = offsetOf(query.pageToken);
      // A board nobody stands on yet (or one Redis lost, until its rebuild) is
      // an empty page: only a name no board could have is LEADERBOARD_NOT_FOUND.
      const page = (await boards.page(query.scope, board, offset, query.pageSize)) ?? {
        members: [],
        above: 0,
        total: 0,
      };
      const members = page.members.map(({ member }) => member);
      const shown = await namesOf(board, members);
      const ranks = ranksWithTies(
        page.members.map(({ score }) => score),
        offset,
        page.above,
      );
      const persons = HOLDERS_OF[board.family] === 'person';
      const next = offset + page.members.length;
      return {
        board,
        scope: query.scope,
        total: page.total,
        items: page.members.map(({ member, score }, index) => ({
          rank: ranks[index] ?? offset + index + 1,
          // A holder registration no longer knows still ranks, unnamed.
          name: shown.get(member) ?? '*',
          credits: score,
          organizationId: persons ? null : member,
        })),
        nextPageToken: page.members.length > 0 && next < page.total ? tokenOf(next) : null,
      };
    },

    /** `accountSubject`'s rank on a board of persons. */
    async ownRank(accountSubject: string, boardPath: string, scope: BoardScope): Promise<OwnRank> {
      const [family = '', subject = ''] = boardPath.split('/', 2);
      const board = boardOf(family, subject);
      if (HOLDERS_OF[board.family] !== 'person') throw notForPersons();
      const participant = (await participants.byAccounts([accountSubject])).get(accountSubject);
      if (participant === undefined) throw participantNotRegistered();
      const standing = await boards.rankOf(scope, board, participant.id);
      if (standing === null) {
        const page = await boards.page(scope, board, 0, 1);
        return { board, scope, rank: null, credits: 0, total: page?.total ?? 0 };
      }
      return {
        board,
        scope,
        rank: standing.above + 1,
        credits: standing.score,
        total: standing.total,
      };
    },
  };
}

export type ReadBoards = ReturnType<typeof readBoards>;
