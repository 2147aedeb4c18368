/**
 * `learning import <file.csv> --kind …`: streams a registry file to
 * registration's import API (never reading it whole), then follows the job
 * with a progress bar until it is done, and says where the error report is.
 * Moved here from services/registration/src/cli/import.ts.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Presets, SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { SERVICE_PORTS } from '@learning/local-infra';
import { CliError, type Io } from '../io.js';

const KINDS = ['participants', 'organizations', 'memberships'] as const;

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
    const response = await new Promise<IncomingMessage>((resolveResponse, reject) => {
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
        resolveResponse,
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

interface ImportOptions {
  kind: (typeof KINDS)[number];
  url: string;
  token?: string;
  interval: string;
}

async function importFile(file: string, options: ImportOptions, io: Io): Promise<void> {
  const token = options.token ?? process.env['REGISTRATION_TOKEN'];
  if (token === undefined || token === '')
    throw new CliError('a token is needed: --token or REGISTRATION_TOKEN', 2);
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new CliError(`--url is not a URL: ${options.url}`, 2);
  }
  const interval = Number(options.interval);
  if (!Number.isInteger(interval) || interval < 100)
    throw new CliError('--interval is a number of milliseconds, at least 100', 2);
  // pnpm runs scripts where it likes; a relative path means where the person typed it.
  const path = resolve(process.env['INIT_CWD'] ?? process.cwd(), file);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError(`${path} is not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const { status, job } = await upload(path, size, options.kind, url, token);
  if (status === 200) io.out(`This file was imported before (job ${job.id}); showing that job.\n`);
  else io.out(`Import ${job.id} queued.\n`);
  const done = await follow(url, job, token, interval);
  io.out(
    `\n${done.status}: ${done.rowsRead} rows read, ${done.imported} imported, ` +
      `${done.duplicates} already there, ${done.failed} refused.\n`,
  );
  if (done.failure !== null) io.out(`Stopped: ${done.failure.code}: ${done.failure.message}\n`);
  if (done.failed > 0 || done.failure !== null) {
    const report = new URL(done.errorReport, url).toString();
    io.out(
      `Error report (CSV): ${report}\n  curl -H "Authorization: Bearer $REGISTRATION_TOKEN" -o errors.csv ${report}\n`,
    );
  }
  if (done.status !== 'completed') throw new CliError(`import ${done.id} ${done.status}`);
}

export function registerImport(program: Command, io: Io): void {
  program
    .command('import <file>')
    .description(
      'import a registry CSV file (participants, organizations or memberships) into registration, with a progress bar; exits 0 once it completed, even with refused rows (see the error report)',
    )
    .addOption(
      new Option('--kind <kind>', 'what the file holds').choices(KINDS).makeOptionMandatory(),
    )
    .option(
      '--url <url>',
      'where registration answers',
      `http://127.0.0.1:${SERVICE_PORTS['registration']?.http ?? 0}`,
    )
    .option('--token <token>', 'a bearer token (default: env REGISTRATION_TOKEN)')
    .option('--interval <ms>', 'how often to ask how the job is going', '1000')
    .action((file: string, options: ImportOptions) => importFile(file, options, io));
}
