import { topics } from '@learning/events';
import { describeWithServers, eventually, jurisdictionTree } from '@learning/testing';
import { beforeAll, expect, it } from 'vitest';
import { useRegistrationApp } from '../support/app.js';
import { usePublishedEvents } from '../support/events.js';
import { participantCsv, participantLine, PARTICIPANT_HEADER } from '../fixtures/imports/rows.js';
import { seedJurisdictions, streamUpload } from '../support/http.js';
import { validCreditCode } from '../support/organizations.js';
import { idNumberFor } from '../support/people.js';

const tree = jurisdictionTree({ townships: 2, villagesPerTownship: 2 });
const T1 = '330281001000';
const T1_V1 = '330281001001';
const T2_V1 = '330281002001';

interface ImportBody {
  id: string;
  kind: string;
  status: string;
  rowsRead: number;
  imported: number;
  duplicates: number;
  failed: number;
  errorsInReport: number;
  totalBytes: number;
  bytesRead: number;
  rowsPerSecond: number | null;
  failure: { code: string } | null;
  errorReport: string;
}

describeWithServers(['mongo', 'kafka', 'redis'], 'registration imports', (servers) => {
  const running = useRegistrationApp(servers);
  const published = usePublishedEvents(servers, [topics.registrationParticipants.name]);
  let admin: string;
  let officer: string;
  let otherOfficer: string;

  beforeAll(async () => {
    admin = await running.issuer.sign({ subject: 'admin-1', roles: ['city_admin'] });
    officer = await running.issuer.sign({
      subject: 'officer-t1',
      roles: ['area_officer'],
      jurisdictions: [T1],
    });
    otherOfficer = await running.issuer.sign({
      subject: 'officer-t2',
      roles: ['area_officer'],
      jurisdictions: ['330281002000'],
    });
    await seedJurisdictions(running.base, admin, tree);
  });

  function upload(
    kind: string,
    body: string | Uint8Array,
    token = admin,
    contentType = 'text/csv; charset=utf-8',
  ): Promise<Response> {
    return running.send('POST', `/v1/imports?kind=${kind}`, token, body, { contentType });
  }

  const get = (path: string, token = admin): Promise<Response> => running.send('GET', path, token);

  async function finished(id: string, token = admin): Promise<ImportBody> {
    return eventually(
      `import ${id} finished`,
      async () => {
        const job = (await (await get(`/v1/imports/${id}`, token)).json()) as ImportBody;
        return job.status === 'completed' || job.status === 'failed' ? job : undefined;
      },
      30_000,
    );
  }

  async function imported(kind: string, csv: string, token = admin): Promise<ImportBody> {
    const response = await upload(kind, csv, token);
    expect(response.status).toBe(201);
    return finished(((await response.json()) as ImportBody).id, token);
  }

  // Row 1 and 4 are valid; the rest each break one rule. Row 5 spans two lines.
  const badId = `${idNumberFor(900_001).slice(0, 17)}0`;
  const mixed =
    `\uFEFF${PARTICIPANT_HEADER}\n` +
    `${participantLine(900_000, T1_V1)}\n` +
    `张三,${badId},ordinary_citizen,${T1_V1},,,,\n` +
    `\n` +
    `李四,${idNumberFor(900_002)},nobody,${T1_V1},13912345678,,,no\n` +
    `"王, 五",${idNumberFor(900_003)},普通市民,${T1_V1},,,"某某公司, 第一分部",是\n` +
    `"赵\n六",${idNumberFor(900_004)},pupil,999999999999,,,,\n` +
    `钱七,${idNumberFor(900_005)},pupil,${T1_V1},12345,,,,extra\n`;

  it('when the city admin uploads a participants file, then it completes with each row counted once and the rest reported', async () => {
    const response = await upload('participants', mixed);
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toMatch(/^\/v1\/imports\//);
    const job = await finished(((await response.json()) as ImportBody).id);

    expect(job).toMatchObject({
      status: 'completed',
      rowsRead: 6,
      imported: 2,
      duplicates: 0,
      failed: 4,
      failure: null,
    });
    expect(job.bytesRead).toBe(job.totalBytes);
  });

  it('when the error report is downloaded, then it lists each refused row with a stable code and no ID or phone number', async () => {
    const response = await upload('participants', mixed.replace('钱七', '钱八'));
    const job = await finished(((await response.json()) as ImportBody).id);
    const report = await get(job.errorReport);

    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await report.text();
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('row,line,column,code,message');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 4).join(','))).toEqual([
      '2,3,id_number,ID_NUMBER_CHECK_DIGIT',
      '3,5,tier,TIER_UNKNOWN',
      '5,8,jurisdiction,JURISDICTION_UNKNOWN',
      '6,9,,ROW_COLUMN_COUNT',
    ]);
    expect(text).not.toContain(badId);
    expect(text).not.toContain('13912345678');
    // Rows 1 and 4 were imported by the first upload of these people.
    expect(job).toMatchObject({ imported: 0, duplicates: 2, failed: 4 });
  });

  it('when the same file is uploaded again, then the existing job is returned and nothing is imported twice', async () => {
    const csv = participantCsv(20, T1_V1, 1_000);
    const first = await imported('participants', csv);
    expect(first).toMatchObject({ imported: 20, duplicates: 0 });

    const again = await upload('participants', csv);

    expect(again.status).toBe(200);
    expect(((await again.json()) as ImportBody).id).toBe(first.id);
    // The same rows in another file: a new job, and every row already there.
    const overlapping = await imported('participants', participantCsv(25, T1_V1, 1_000));
    expect(overlapping).toMatchObject({ imported: 5, duplicates: 20, failed: 0 });
  });

  it('when a participant is imported, then its registered event is published once, without personal data', async () => {
    // The only participant the admin imports into this village.
    await imported('participants', participantCsv(1, T2_V1, 2_000));
    // Other files' apps publish on the same topic, with the same village codes: match by id.
    const found = (await (await get(`/v1/participants?jurisdiction=${T2_V1}`)).json()) as {
      items: { id: string }[];
    };
    expect(found.items).toHaveLength(1);
    const participantId = found.items[0]?.id;
    const registered = 'registration.participant.registered.v1';
    const [event] = await published.waitFor(registered, participantId ?? '');
    // The audit record, actor the admin, comes through the same outbox; a second copy of the event would have come by then.
    await eventually(
      'the audit record of the same participant',
      async () => {
        const log = await (await get(`/v1/audit-log?entityId=${event?.subject ?? ''}`)).text();
        return log.includes('participant.import') && log.includes('admin-1') ? true : undefined;
      },
      30_000,
    );

    expect(
      published.about(participantId ?? '').filter((about) => about.type === registered),
    ).toHaveLength(1);
    expect(event?.data).toMatchObject({
      source: 'PARTICIPANT_SOURCE_IMPORT',
      registeredBy: 'admin-1',
    });
    expect(JSON.stringify(event)).not.toContain(idNumberFor(2_000));
    expect(JSON.stringify(event)).not.toContain('居民2000');
  });

  it('when an area officer imports rows of two townships, then the rows outside their area are errors', async () => {
    const csv =
      participantCsv(3, T1_V1, 3_000) +
      participantCsv(2, T2_V1, 3_100).split('\n').slice(1).join('\n');
    const job = await imported('participants', csv, officer);

    expect(job).toMatchObject({ imported: 3, failed: 2 });
    const report = await (await get(job.errorReport, officer)).text();
    expect(report.match(/ROW_OUT_OF_SCOPE/g)).toHaveLength(2);
    expect((await get(`/v1/imports/${job.id}`, otherOfficer)).status).toBe(404);
    const listed = (await (await get('/v1/imports', otherOfficer)).json()) as {
      items: ImportBody[];
    };
    expect(listed.items.map((item) => item.id)).not.toContain(job.id);
  });

  it('when organizations and then memberships are imported, then both complete and a membership of an unknown person is an error', async () => {
    const valid = validCreditCode('91330281MA2AAAAA1');
    const wrongCheck = `${valid.slice(0, 17)}${valid.endsWith('0') ? '1' : '0'}`;
    const organizations = [
      'kind,name,jurisdiction,credit_code',
      `enterprise,某某科技有限公司,${T1_V1},${wrongCheck}`,
      `family,张家,${T1_V1},`,
    ].join('\n');
    // The first credit code fails its check character: that row is refused and reported.
    const orgJob = await imported('organizations', organizations);
    expect(orgJob).toMatchObject({ imported: 1, failed: 1 });

    const code = validCreditCode('91330281MA2B00001');
    const orgs = await imported(
      'organizations',
      `kind,name,jurisdiction,credit_code\n学习型企业,宁波某厂,${T1_V1},${code}\n`,
    );
    expect(orgs).toMatchObject({ imported: 1 });
    const members = [
      'credit_code,id_number,role',
      `${code},${idNumberFor(1_000)},admin`,
      `${code},${idNumberFor(1_001)},`,
      `${code},${idNumberFor(777_777)},member`,
    ].join('\n');
    const memberJob = await imported('memberships', members);

    expect(memberJob).toMatchObject({ imported: 2, failed: 1 });
    const report = await (await get(memberJob.errorReport)).text();
    expect(report).toContain('PARTICIPANT_NOT_FOUND');
    expect(report).not.toContain(idNumberFor(777_777));
  });

  it('when the header misses a required column, then the upload is refused with IMPORT_HEADER_INVALID naming it', async () => {
    const response = await upload(
      'participants',
      'name,tier,jurisdiction\n张三,pupil,330281001001\n',
    );

    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; details: { field: string }[] };
    expect(body.code).toBe('IMPORT_HEADER_INVALID');
    expect(body.details.map((detail) => detail.field)).toEqual(['header/id_number']);
  });

  it('when the header row cannot be read (an unclosed quote), then the upload is refused with 400 CSV_MALFORMED', async () => {
    const response = await upload('participants', '"name,tier,jurisdiction,id_number\n张三\n');

    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('CSV_MALFORMED');
    expect(body.message).toContain('a quoted field is never closed');
  });

  it('when the body is not text, then the upload is refused with IMPORT_FILE_NOT_TEXT', async () => {
    const response = await upload(
      'participants',
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff]),
    );

    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('IMPORT_FILE_NOT_TEXT');
  });

  it('when the body is JSON, then it is refused with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await upload('participants', '{"rows":[]}', admin, 'application/json');

    expect(response.status).toBe(415);
    expect(((await response.json()) as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('when the declared body is larger than the cap, then 413 IMPORT_FILE_TOO_LARGE comes before the body is read', async () => {
    const answer = await streamUpload(
      `${running.base}/v1/imports?kind=participants`,
      admin,
      600 * 1024 * 1024,
      (request) => request.write(`${PARTICIPANT_HEADER}\n`),
    );

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'IMPORT_FILE_TOO_LARGE' });
  });

  it('when a participant tries to import, then 403 ROLE_REQUIRED', async () => {
    const person = await running.issuer.sign({ subject: 'p-1', roles: ['participant'] });
    const response = await upload('participants', participantCsv(1, T1_V1), person);

    expect(response.status).toBe(403);
  });
});
