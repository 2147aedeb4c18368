/**
 * The ranking exports through the real app: assessments and the year's
 * indicator system written straight into their collections (the assessment
 * part computes them), the files read back (exceljs, unpdf), and who reaches
 * which rows.
 */
import { describeWithServers, uniqueName } from '@learning/testing';
import ExcelJS from 'exceljs';
import { createConnection, type Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assessmentModel,
  indicatorSystemModel,
  type AssessmentDocument,
} from '../../src/adapters/mongo/evaluation-models.js';
import { useScoringStack } from '../support/stack.js';

const CITY = '330281000000';
const TOWNSHIP_1 = '330281001000';
const TOWNSHIP_2 = '330281002000';
const YEAR = 2026;
const LEAD = 'jingmao-ju';
const SYSTEM_ID = randomUUID();

describeWithServers(['mongo', 'kafka', 'redis'], 'scoring: ranking exports', (servers) => {
  const database = uniqueName('scoring-rankings');
  const stack = useScoringStack(servers, { scoringEnvironment: { MONGODB_DATABASE: database } });
  const tokens: Record<string, string> = {};
  let connection: Connection;

  const assessment = (
    name: string,
    score: number,
    path: readonly string[],
    overrides: Partial<AssessmentDocument> = {},
  ): AssessmentDocument => ({
    _id: randomUUID(),
    year: YEAR,
    subjectKind: 'organization',
    subjectId: `org-${randomUUID()}`,
    sequence: 1,
    subjectName: name,
    organizationKind: 'enterprise',
    leadDepartment: LEAD,
    jurisdictionPath: [...path],
    systemId: SYSTEM_ID,
    systemVersion: 1,
    status: 'provisional',
    score,
    passMark: 6000,
    passed: score >= 6000,
    indicators: [
      {
        key: 'training',
        name: '职工培训',
        weight: 6000,
        method: { kind: 'threshold', metric: 'members_trained', atLeast: 10 },
        readings: [],
        measured: 1,
        score: score + 500 > 10_000 ? 10_000 : score + 500,
        weighted: 0,
        explanation: '',
      },
    ],
    inputsDigest: 'digest',
    revision: 1,
    stale: false,
    computedAt: new Date(),
    appeal: null,
    lockedAt: null,
    lockedBy: null,
    correctsId: null,
    correctedById: null,
    correctionReason: null,
    outbox: [],
    ...overrides,
  });

  beforeAll(async () => {
    tokens['office'] = await stack.token({
      subject: 'office-1',
      roles: ['city_admin'],
      cityWide: true,
    });
    tokens['department'] = await stack.token({
      subject: 'dept-1',
      roles: ['department_officer'],
      department: LEAD,
    });
    tokens['area'] = await stack.token({
      subject: 'area-2',
      roles: ['area_officer'],
      jurisdictions: [TOWNSHIP_2],
    });
    tokens['participant'] = await stack.token({ subject: 'p-1', roles: ['participant'] });
    connection = await createConnection(servers.mongo.uri, { dbName: database }).asPromise();
    await indicatorSystemModel(connection).create({
      _id: SYSTEM_ID,
      year: YEAR,
      target: 'enterprise',
      name: '学习型企业评估',
      version: 1,
      passMark: 6000,
      indicators: [
        {
          key: 'training',
          name: '职工培训',
          weight: 6000,
          method: { kind: 'threshold', metric: 'members_trained', atLeast: 10 },
        },
        {
          key: 'spend',
          name: '人均培训经费',
          weight: 4000,
          method: { kind: 'linear_band', metric: 'training_spend_fen', from: 0, to: 100 },
        },
      ],
      history: [],
      frozenAt: null,
      createdBy: 'office-1',
      createdAt: new Date(),
      updatedAt: new Date(),
      outbox: [],
    });
    const replaced = randomUUID();
    await assessmentModel(connection).create([
      assessment('舜宇光学', 9250, [CITY, TOWNSHIP_1], { status: 'locked' }),
      assessment('甬丰纺织', 9250, [CITY, TOWNSHIP_2, '330281002001']),
      assessment('五金配件厂', 5525, [CITY, TOWNSHIP_2]),
      // A locked result its correction replaced: not in the table.
      assessment('五金配件厂', 9999, [CITY, TOWNSHIP_2], { _id: replaced, correctedById: 'x' }),
      assessment('兰江社区', 9900, [CITY, TOWNSHIP_1], {
        organizationKind: 'community',
        leadDepartment: 'wenming-ban',
      }),
      assessment('第1街道', 8000, [CITY, TOWNSHIP_1], {
        subjectKind: 'area',
        subjectId: TOWNSHIP_1,
        organizationKind: null,
        leadDepartment: null,
      }),
    ]);
  });

  afterAll(async () => {
    await connection.close();
  });

  const fetchFile = async (who: string, path: string) => {
    const response = await stack.scoring.send('GET', path, tokens[who] ?? null);
    return { response, body: Buffer.from(await response.arrayBuffer()) };
  };

  const sheetRows = async (file: Buffer): Promise<unknown[][]> => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(file).buffer);
    const sheet = workbook.worksheets[0];
    const rows: unknown[][] = [];
    sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };

  describe('the XLSX', () => {
    it('when the office exports a kind, then it is the year’s current assessments best first, ties sharing a rank, with each indicator', async () => {
      const { response, body } = await fetchFile(
        'office',
        `/v1/assessments/rankings.xlsx?year=${String(YEAR)}&target=enterprise`,
      );

      expect(response.status, body.toString()).toBe(200);
      expect(response.headers.get('content-type')).toContain('spreadsheetml');
      expect(response.headers.get('content-disposition')).toContain(
        'rankings-2026-enterprise.xlsx',
      );
      const rows = await sheetRows(body);
      expect(rows[0]).toEqual(['2026年度学习型组织评估排名（学习型企业）']);
      expect(rows[2]).toEqual([
        '名次',
        '名称',
        '区域',
        '得分',
        '是否达标',
        '状态',
        '职工培训',
        '人均培训经费',
      ]);
      expect(rows.slice(3)).toEqual([
        [1, '甬丰纺织', '第2街道', 92.5, '达标', '暂定', 97.5],
        [1, '舜宇光学', '第1街道', 92.5, '达标', '已锁定', 97.5],
        [3, '五金配件厂', '第2街道', 55.25, '未达标', '暂定', 60.25],
      ]);
    });

    it('when an area officer exports, then only their area’s subjects are ranked', async () => {
      const { response, body } = await fetchFile(
        'area',
        `/v1/assessments/rankings.xlsx?year=${String(YEAR)}&target=enterprise`,
      );

      expect(response.status).toBe(200);
      expect((await sheetRows(body)).slice(3).map((row) => row.slice(0, 2))).toEqual([
        [1, '甬丰纺织'],
        [2, '五金配件厂'],
      ]);
    });

    it('when a department officer exports, then only the kinds their department leads appear; the areas’ table is refused', async () => {
      const community = await fetchFile(
        'department',
        `/v1/assessments/rankings.xlsx?year=${String(YEAR)}&target=community`,
      );
      expect((await sheetRows(community.body)).slice(3)).toEqual([]);
      const enterprises = await fetchFile(
        'department',
        `/v1/assessments/rankings.xlsx?year=${String(YEAR)}&target=enterprise`,
      );
      expect((await sheetRows(enterprises.body)).slice(3)).toHaveLength(3);

      const refusals = await Promise.all([
        fetchFile('department', `/v1/assessments/rankings.xlsx?year=${String(YEAR)}&target=area`),
        fetchFile(
          'participant',
          `/v1/assessments/rankings.xlsx?year=${String(YEAR)}&target=enterprise`,
        ),
        fetchFile('office', `/v1/assessments/rankings.xlsx?year=${String(YEAR)}&target=school`),
        fetchFile('office', '/v1/assessments/rankings.pdf?target=area'),
      ]);
      expect(
        refusals.map(({ response, body }) => [
          response.status,
          (JSON.parse(body.toString()) as { code: string }).code,
        ]),
      ).toEqual([
        [403, 'RANKING_NOT_PERMITTED'],
        [403, 'ROLE_REQUIRED'],
        [400, 'VALIDATION_FAILED'],
        [400, 'VALIDATION_FAILED'],
      ]);
    });
  });

  describe('the PDF', () => {
    it('when the office exports the areas, then the PDF is titled for the year and kind, dated, and lists each with its score', async () => {
      const { response, body } = await fetchFile(
        'office',
        `/v1/assessments/rankings.pdf?year=${String(YEAR)}&target=area`,
      );

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      const { text } = await extractText(await getDocumentProxy(new Uint8Array(body)), {
        mergePages: true,
      });
      const compact = text.replace(/\s+/g, '');
      expect(compact).toContain('2026年度学习型组织评估排名（乡镇（街道））');
      expect(compact).toContain('出具日期：');
      expect(compact).toContain('1第1街道第1街道80.00达标暂定');
    });

    it('when the office exports a kind as PDF, then the names and scores are in it', async () => {
      const { body } = await fetchFile(
        'office',
        `/v1/assessments/rankings.pdf?year=${String(YEAR)}&target=enterprise`,
      );
      const { text } = await extractText(await getDocumentProxy(new Uint8Array(body)), {
        mergePages: true,
      });
      const compact = text.replace(/\s+/g, '');
      for (const expected of [
        '1甬丰纺织第2街道92.50',
        '1舜宇光学第1街道92.50达标已锁定',
        '3五金配件厂第2街道55.25未达标',
      ])
        expect(compact).toContain(expected);
      expect(compact).not.toContain('99.99');
    });
  });
});
