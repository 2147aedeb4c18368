/**
 * Imports a CSV file into the registration service from the command line:
 * streams the file up (never reading it whole), then follows the job with a
 * progress bar until it is done, and says where the error report is.
 *
 *   pnpm --filter @learning/registration import-csv people.csv --kind participants \
 *     --url http://127.0.0.1:8101 --token "$TOKEN"
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';

const KINDS = ['participants', 'organizations', 'memberships'];

const USAGE = `usage: import <file.csv> --kind participants|organizations|memberships
              [--url http://127.0.0.1:8101] [--token TOKEN | env REGISTRATION_TOKEN]
              [--interval 1000]`;

interface ImportJob {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  totalBytes: number;
  bytesRead: number;
  rowsRead: number;
  imported: number;
  duplicates: number;
  failed: number;
  rowsPerSecond: number | null;
  failure: { code: string; message: string } | null;
  errorReport: string;
}

/** A refusal the person can act on: printed without a stack, with this exit code. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      // `pnpm run import-csv -- …` passes its `--` on; it is not ours to end the options with.
      args: process.argv.slice(2).filter((arg, index) => index > 0 || arg !== '--'),
      allowPositionals: true,
      options: {
        kind: { type: 'string' },
        url: { type: 'string', default: 'http://127.0.0.1:8101' },
        token: { type: 'string' },
        interval: { type: 'string', default: '1000' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new CliError(USAGE, 0);
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw new CliError(`give exactly one CSV file\n${USAGE}`, 2);
  if (values.kind === undefined || !KINDS.includes(values.kind))
    throw new CliError(`--kind must be one of ${KINDS.join(', ')}\n${USAGE}`, 2);
  const token = values.token ?? process.env['REGISTRATION_TOKEN'];
  if (token === undefined || token === '')
    throw new CliError(`a token is needed: --token or REGISTRATION_TOKEN\n${USAGE}`, 2);
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new CliError(`--url is not a URL: ${values.url}`, 2);
  }
  const interval = Number(values.interval);
  if (!Number.isInteger(interval) || interval < 100)
    throw new CliError('--interval is a number of milliseconds, at least 100', 2);
  // pnpm runs scripts in the package directory; a relative path means where the person typed it.
  const path = resolve(process.env['INIT_CWD'] ?? process.cwd(), file);
  return { file: path, kind: values.kind, url, token, interval };
}

async function readBody(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response) text += (chunk as Buffer).toString('utf8');
  return text;
}

/** The service's error body said for people: status, code, message and any field details. */
function httpFailure(status: number, text: string): CliError {
  try {
    const body = JSON.parse(text) as {
      code?: string;
      message?: string;
      details?: { field: string; message: string }[];
    };
    const details = (body.details ?? []).map((detail) => `\n  ${detail.field}: ${detail.message}`);
    return new CliError(
      `HTTP ${status} ${body.code ?? ''}: ${body.message ?? text}${details.join('')}`,
    );
  } catch {
    return new CliError(`HTTP ${status}: ${text.slice(0, 500)}`);
  }
}

/** Streams the file as the request body, with a bar of bytes sent. */
async function upload(
  file: string,
  size: number,
  kind: string,
  base: URL,
  token: string,
): Promise<{ status: number; job: ImportJob }> {
  const target = new URL(`/v1/imports?kind=${kind}`, base);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const bar = new SingleBar(
    { format: 'upload   [{bar}] {percentage}% | {value}/{total} bytes', hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(size, 0);
  try {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = send(
        target,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'text/csv; charset=utf-8',
            'content-length': String(size),
            // One key per run: a rerun of the same file is still recognised, by its content.
            'idempotency-key': randomUUID(),
          },
        },
        resolve,
      );
      request.on('error', reject);
      const source = createReadStream(file);
      let sent = 0;
      source.on('data', (chunk) => {
        sent += chunk.length;
        bar.update(sent);
      });
      source.on('error', (error) => request.destroy(error));
      source.pipe(request);
    });
    const text = await readBody(response);
    const status = response.statusCode ?? 0;
    if (status !== 200 && status !== 201) throw httpFailure(status, text);
    return { status, job: JSON.parse(text) as ImportJob };
  } finally {
    bar.stop();
  }
}

async function getJob(base: URL, id: string, token: string): Promise<ImportJob> {
  const response = await fetch(new URL(`/v1/imports/${id}`, base), {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  if (!response.ok) throw httpFailure(response.status, text);
  return JSON.parse(text) as ImportJob;
}

async function follow(base: URL, first: ImportJob, token: string, interval: number) {
  const bar = new SingleBar(
    {
      format:
        'import   [{bar}] {percentage}% | rows {rowsRead} | new {imported} | existing {duplicates} | errors {failed} | {speed} rows/s',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const payload = (job: ImportJob) => ({
    rowsRead: job.rowsRead,
    imported: job.imported,
    duplicates: job.duplicates,
    failed: job.failed,
    speed: job.rowsPerSecond ?? '-',
  });
  bar.start(first.totalBytes, first.bytesRead, payload(first));
  let job = first;
  try {
    while (job.status === 'queued' || job.status === 'running') {
      await sleep(interval);
      job = await getJob(base, job.id, token);
      bar.update(job.bytesRead, payload(job));
    }
    if (job.status === 'completed') bar.update(job.totalBytes, payload(job));
  } finally {
    bar.stop();
  }
  return job;
}

async function main(): Promise<number> {
  const { file, kind, url, token, interval } = options();
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new CliError(`${file} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const { status, job } = await upload(file, size, kind, url, token);
  if (status === 200)
    process.stdout.write(`This file was imported before (job ${job.id}); showing that job.\n`);
  else process.stdout.write(`Import ${job.id} queued.\n`);
  const done = await follow(url, job, token, interval);
  process.stdout.write(
    `\n${done.status}: ${done.rowsRead} rows read, ${done.imported} imported, ` +
      `${done.duplicates} already there, ${done.failed} refused.\n`,
  );
  if (done.failure !== null)
    process.stdout.write(`Stopped: ${done.failure.code}: ${done.failure.message}\n`);
  if (done.failed > 0 || done.failure !== null) {
    const report = new URL(done.errorReport, url).toString();
    process.stdout.write(
      `Error report (CSV): ${report}\n  curl -H "Authorization: Bearer $REGISTRATION_TOKEN" -o errors.csv ${report}\n`,
    );
  }
  return done.status === 'completed' ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`import failed: ${reason}\n`);
    process.exitCode = 1;
  },
);
