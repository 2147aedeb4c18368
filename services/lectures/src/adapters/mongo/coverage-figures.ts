/**
 * Coverage's counts over the collections other slices write (sessions,
 * attendance, experts, forums, series), read through their shared models
 * and never written here. Each count is one grouped query whose leading
 * match is on indexed fields: sessions by `venue.townshipCode` + `startsAt`
 * (or `forumId` + `startsAt`, `status` + `endsAt`), attendance by
 * `townshipCode` + `attendedAt`; the whole city's year by `startsAt` or
 * `attendedAt` alone (one range, not a seek per township); nothing is read
 * document by document.
 */
import type { ContentCategory } from '@learning/domain';
import type { Connection, Model, PipelineStage } from 'mongoose';
import type {
  Catalogue,
  CoverageFigures,
  ExpertPool,
  ExpertProfile,
  ForumSummary,
  SpeakerLoad,
  TownshipHistory,
  TownshipYearFigures,
} from '../../application/coverage/ports.js';
import {
  COUNTED_STATUSES,
  type AttendanceCount,
  type CategoryCounts,
  type CountedStatus,
  type ForumSessionCount,
  type MonthSessionCount,
  type Quarter,
  type SessionCount,
} from '../../domain/coverage.js';
import type { VenueSetting } from '../../domain/sessions.js';
import { attendanceModel, type AttendanceDocument } from './attendance.js';
import { forumModel, seriesModel, type ForumDocument, type SeriesDocument } from './catalogue.js';
import { expertModel, type ExpertDocument } from './experts.js';
import { sessionModel, type SessionDocument } from './sessions.js';

const counted = { $in: [...COUNTED_STATUSES] };

/** The quarter of `field` by the year's boundaries (the stand-in has no time-zone date operators). */
const quarterOf = (field: string, boundaries: readonly Date[]) => ({
  $switch: {
    branches: [1, 2, 3].map((quarter) => ({
      case: { $lt: [field, boundaries[quarter]] },
      then: quarter,
    })),
    default: 4,
  },
});

/** The month (1–12) of `field` by the year's thirteen boundaries. */
const monthOf = (field: string, boundaries: readonly Date[]) => ({
  $switch: {
    branches: boundaries.slice(1, 12).map((boundary, index) => ({
      case: { $lt: [field, boundary] },
      then: index + 1,
    })),
    default: 12,
  },
});

export class MongoCoverageFigures implements CoverageFigures, TownshipYearFigures {
  private readonly sessions: Model<SessionDocument>;
  private readonly attendance: Model<AttendanceDocument>;

  constructor(connection: Connection) {
    this.sessions = sessionModel(connection);
    this.attendance = attendanceModel(connection);
  }

  async sessionsByQuarter(
    townshipCodes: readonly string[] | null,
    boundaries: readonly Date[],
  ): Promise<SessionCount[]> {
    if (townshipCodes?.length === 0) return [];
    const rows = await this.sessions.aggregate<{
      _id: { t: string; q: Quarter; s: CountedStatus; v: VenueSetting };
      n: number;
    }>([
      {
        $match: {
          ...(townshipCodes === null ? {} : { 'venue.townshipCode': { $in: [...townshipCodes] } }),
          startsAt: { $gte: boundaries[0], $lt: boundaries[4] },
          status: counted,
        },
      },
      {
        $group: {
          _id: {
            t: '$venue.townshipCode',
            q: quarterOf('$startsAt', boundaries),
            s: '$status',
            v: '$venue.setting',
          },
          n: { $sum: 1 },
        },
      },
    ]);
    return rows.map(({ _id, n }) => ({
      townshipCode: _id.t,
      quarter: _id.q,
      status: _id.s,
      setting: _id.v,
      sessions: n,
    }));
  }

  async attendanceByQuarter(
    townshipCodes: readonly string[] | null,
    boundaries: readonly Date[],
  ): Promise<AttendanceCount[]> {
    if (townshipCodes?.length === 0) return [];
    const rows = await this.attendance.aggregate<{ _id: { t: string; q: Quarter }; n: number }>([
      {
        $match: {
          ...(townshipCodes === null ? {} : { townshipCode: { $in: [...townshipCodes] } }),
          attendedAt: { $gte: boundaries[0], $lt: boundaries[4] },
        },
      },
      // Only the indexed fields go on: the server can answer from the index alone.
      { $project: { _id: 0, townshipCode: 1, attendedAt: 1 } },
      {
        $group: {
          _id: { t: '$townshipCode', q: quarterOf('$attendedAt', boundaries) },
          n: { $sum: 1 },
        },
      },
    ]);
    return rows.map(({ _id, n }) => ({ townshipCode: _id.t, quarter: _id.q, attendance: n }));
  }

  async sessionsByMonth(
    townshipCode: string,
    boundaries: readonly Date[],
  ): Promise<MonthSessionCount[]> {
    const rows = await this.sessions.aggregate<{ _id: { m: number; s: CountedStatus }; n: number }>(
      [
        {
          $match: {
            'venue.townshipCode': townshipCode,
            startsAt: { $gte: boundaries[0], $lt: boundaries[12] },
            status: counted,
          },
        },
        { $group: { _id: { m: monthOf('$startsAt', boundaries), s: '$status' }, n: { $sum: 1 } } },
      ],
    );
    return rows.map(({ _id, n }) => ({ month: _id.m, status: _id.s, sessions: n }));
  }

  attendanceIn(townshipCode: string, from: Date, to: Date): Promise<number> {
    return this.attendance.countDocuments({ townshipCode, attendedAt: { $gte: from, $lt: to } });
  }

  async coveredSince(
    townshipCodes: readonly string[],
    since: Date,
    now: Date,
  ): Promise<Set<string>> {
    if (townshipCodes.length === 0) return new Set();
    const codes = await this.sessions.distinct('venue.townshipCode', {
      'venue.townshipCode': { $in: [...townshipCodes] },
      startsAt: { $gt: since, $lte: now },
      status: counted,
    });
    return new Set(codes.map(String));
  }

  async historyOf(
    townshipCodes: readonly string[],
    now: Date,
  ): Promise<ReadonlyMap<string, TownshipHistory>> {
    const history = new Map<string, { lastSessionAt: Date | null; nextSessionAt: Date | null }>();
    if (townshipCodes.length === 0) return history;
    const edge = (startsAt: object, accumulator: '$max' | '$min') =>
      this.sessions.aggregate<{ _id: string; at: Date }>([
        {
          $match: {
            'venue.townshipCode': { $in: [...townshipCodes] },
            startsAt,
            status: counted,
          },
        },
        { $group: { _id: '$venue.townshipCode', at: { [accumulator]: '$startsAt' } } },
      ] as PipelineStage[]);
    const [last, next] = await Promise.all([
      edge({ $lte: now }, '$max'),
      edge({ $gt: now }, '$min'),
    ]);
    const entry = (code: string) => {
      let found = history.get(code);
      if (found === undefined) {
        found = { lastSessionAt: null, nextSessionAt: null };
        history.set(code, found);
      }
      return found;
    };
    for (const row of last) entry(row._id).lastSessionAt = row.at;
    for (const row of next) entry(row._id).nextSessionAt = row.at;
    return history;
  }

  async categoriesHad(
    townshipCodes: readonly string[],
    now: Date,
  ): Promise<ReadonlyMap<string, CategoryCounts>> {
    const had = new Map<string, CategoryCounts>();
    if (townshipCodes.length === 0) return had;
    const rows = await this.sessions.aggregate<{
      _id: { t: string; c: ContentCategory };
      n: number;
    }>([
      {
        $match: {
          'venue.townshipCode': { $in: [...townshipCodes] },
          startsAt: { $lte: now },
          status: counted,
        },
      },
      { $project: { _id: 0, t: '$venue.townshipCode', categories: 1 } },
      { $unwind: '$categories' },
      { $group: { _id: { t: '$t', c: '$categories' }, n: { $sum: 1 } } },
    ]);
    for (const { _id, n } of rows) had.set(_id.t, { ...had.get(_id.t), [_id.c]: n });
    return had;
  }

  async sessionsByForum(
    forumIds: readonly string[],
    from: Date,
    to: Date,
    roots: readonly string[] | null,
  ): Promise<ForumSessionCount[]> {
    if (forumIds.length === 0) return [];
    const rows = await this.sessions.aggregate<{ _id: { f: string; v: VenueSetting }; n: number }>([
      {
        $match: {
          forumId: { $in: [...forumIds] },
          startsAt: { $gte: from, $lt: to },
          status: counted,
          ...(roots === null ? {} : { jurisdictionPath: { $in: [...roots] } }),
        },
      },
      { $group: { _id: { f: '$forumId', v: '$venue.setting' }, n: { $sum: 1 } } },
    ]);
    return rows.map(({ _id, n }) => ({ forumId: _id.f, setting: _id.v, sessions: n }));
  }
}

export class MongoExpertPool implements ExpertPool {
  private readonly experts: Model<ExpertDocument>;
  private readonly sessions: Model<SessionDocument>;

  constructor(connection: Connection) {
    this.experts = expertModel(connection);
    this.sessions = sessionModel(connection);
  }

  async activeIn(fields: readonly ContentCategory[]): Promise<ExpertProfile[]> {
    const docs = await this.experts
      .find(
        { status: 'active', fields: { $in: [...fields] } },
        { displayName: 1, title: 1, fields: 1, travelRadius: 1 },
      )
      .lean<Pick<ExpertDocument, '_id' | 'displayName' | 'title' | 'fields' | 'travelRadius'>[]>();
    return docs.map((doc) => ({
      expertId: doc._id,
      displayName: doc.displayName,
      title: doc.title,
      fields: doc.fields,
      travelRadius: doc.travelRadius,
    }));
  }

  async loadSince(since: Date, now: Date): Promise<ReadonlyMap<string, SpeakerLoad>> {
    const rows = await this.sessions.aggregate<{ _id: string; recent: number; upcoming: number }>([
      // {status, endsAt} is indexed: what ended after `since` or has not ended.
      { $match: { status: counted, endsAt: { $gt: since }, startsAt: { $gt: since } } },
      { $project: { _id: 0, speakerIds: 1, startsAt: 1 } },
      { $unwind: '$speakerIds' },
      {
        $group: {
          _id: '$speakerIds',
          recent: { $sum: { $cond: [{ $lte: ['$startsAt', now] }, 1, 0] } },
          upcoming: { $sum: { $cond: [{ $gt: ['$startsAt', now] }, 1, 0] } },
        },
      },
    ]);
    return new Map(rows.map(({ _id, recent, upcoming }) => [_id, { recent, upcoming }]));
  }
}

export class MongoCoverageCatalogue implements Catalogue {
  private readonly forumsModel: Model<ForumDocument>;
  private readonly seriesModel: Model<SeriesDocument>;

  constructor(connection: Connection) {
    this.forumsModel = forumModel(connection);
    this.seriesModel = seriesModel(connection);
  }

  async forums(): Promise<ForumSummary[]> {
    const docs = await this.forumsModel
      .find({}, { name: 1, status: 1 })
      .sort({ name: 1, _id: 1 })
      .lean<Pick<ForumDocument, '_id' | 'name' | 'status'>[]>();
    return docs.map((doc) => ({ id: doc._id, name: doc.name, status: doc.status }));
  }

  async seriesDepartments(): Promise<string[]> {
    const docs = await this.seriesModel
      .find({}, { ownerDepartment: 1 })
      .sort({ createdAt: 1, _id: 1 })
      .lean<Pick<SeriesDocument, 'ownerDepartment'>[]>();
    return [...new Set(docs.map((doc) => doc.ownerDepartment))];
  }
}
