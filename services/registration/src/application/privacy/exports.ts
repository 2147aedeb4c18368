/**
 * A person's copy of their data (PIPL art. 45): asked for once, gathered by a
 * worker from every service's PersonalDataService (registration's own part
 * from its declaration), each service's part retried with a growing delay
 * while it fails, so a service that is down delays the copy without losing
 * it. The person follows the progress, then downloads one JSON archive and
 * reads a summary in their language. Removed by the retention sweep.
 */
import { DAY_MS } from '@learning/domain';
import { actorOf, type AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import type { ErasingService } from '@learning/contracts';
import { isAppError } from '@learning/errors';
import type { Logger } from '@learning/logger';
import type { Language } from '../../domain/participants.js';
import { pick, retryDelayMs } from '../../domain/privacy.js';
import { dataExportNotFound, dataExportNotReady, recordRequired } from './errors.js';
import type {
  DataExport,
  DataExportStore,
  PersonalDataSource,
  RequesterDirectory,
  StoredSection,
} from './ports.js';

export interface ExportRequestDeps {
  readonly requesters: RequesterDirectory;
  readonly exports: DataExportStore;
  readonly services: readonly ErasingService[];
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly retentionDays: number;
}

export function requestDataExport(deps: ExportRequestDeps) {
  return async (principal: Principal): Promise<DataExport> => {
    const requester = await deps.requesters.ofAccount(principal.subject);
    if (requester === null) throw recordRequired();
    const now = deps.clock();
    const dataExport: DataExport = {
      id: deps.newId(),
      participantId: requester.participantId,
      accountSubject: principal.subject,
      language: requester.language,
      requestedAt: now,
      completedAt: null,
      expiresAt: new Date(now.getTime() + deps.retentionDays * DAY_MS),
      parts: deps.services.map((service) => ({
        service,
        status: 'pending',
        attempts: 0,
        lastError: null,
        nextAttemptAt: now,
        doneAt: null,
        sections: [],
      })),
    };
    await deps.exports.create(dataExport, [
      deps.audit.entry({
        actor: actorOf(principal),
        action: 'privacy.data_export_request',
        entityType: 'data_export',
        entityId: dataExport.id,
        jurisdictionPath: requester.jurisdictionPath,
        before: null,
        after: { participantId: requester.participantId },
      }),
    ]);
    return dataExport;
  };
}

async function ownExport(
  exports: DataExportStore,
  principal: Principal,
  id: string,
): Promise<DataExport> {
  const found = await exports.ofAccount(id, principal.subject);
  if (found === null) throw dataExportNotFound();
  return found;
}

export function getDataExport(deps: Pick<ExportRequestDeps, 'exports'>) {
  return (principal: Principal, id: string): Promise<DataExport> =>
    ownExport(deps.exports, principal, id);
}

export interface ArchiveSection {
  readonly kind: string;
  readonly title: { readonly zhCn: string; readonly en: string };
  readonly purpose: { readonly zhCn: string; readonly en: string };
  readonly retention: { readonly zhCn: string; readonly en: string };
  readonly recordCount: number;
  readonly records: unknown[];
}

export interface Archive {
  readonly exportId: string;
  readonly participantId: string;
  readonly requestedAt: Date;
  readonly completedAt: Date;
  readonly services: readonly { readonly service: string; readonly sections: ArchiveSection[] }[];
}

const archiveSection = (section: StoredSection): ArchiveSection => ({
  kind: section.kind,
  title: section.title,
  purpose: section.purpose,
  retention: section.retention,
  recordCount: section.recordCount,
  records: JSON.parse(section.recordsJson) as unknown[],
});

async function readyExport(
  exports: DataExportStore,
  principal: Principal,
  id: string,
): Promise<DataExport & { completedAt: Date }> {
  const found = await ownExport(exports, principal, id);
  if (found.completedAt === null) throw dataExportNotReady();
  return { ...found, completedAt: found.completedAt };
}

/** Every service's sections in one JSON document: the person's own data, unmasked. */
export function dataExportArchive(deps: Pick<ExportRequestDeps, 'exports'>) {
  return async (principal: Principal, id: string): Promise<Archive> => {
    const found = await readyExport(deps.exports, principal, id);
    return {
      exportId: found.id,
      participantId: found.participantId,
      requestedAt: found.requestedAt,
      completedAt: found.completedAt,
      services: found.parts.map((part) => ({
        service: part.service,
        sections: part.sections.map(archiveSection),
      })),
    };
  };
}

const SUMMARY_WORDS = {
  'zh-CN': {
    heading: '我的个人信息副本',
    requested: '申请时间',
    service: '服务',
    purpose: '用途',
    retention: '保存期限',
    count: '记录数',
    archive: '完整数据见 JSON 存档（archive）。',
  },
  en: {
    heading: 'My personal information: summary',
    requested: 'Requested at',
    service: 'Service',
    purpose: 'Purpose',
    retention: 'Kept',
    count: 'Records',
    archive: 'The full records are in the JSON archive.',
  },
} as const;

/** Plain text in the person's language: per service and kind, title, purpose, retention, count. */
export function dataExportSummary(deps: Pick<ExportRequestDeps, 'exports'>) {
  return async (principal: Principal, id: string, asked?: Language): Promise<string> => {
    const found = await readyExport(deps.exports, principal, id);
    const language = asked ?? found.language;
    const words = SUMMARY_WORDS[language];
    const lines = [words.heading, `${words.requested}: ${found.requestedAt.toISOString()}`, ''];
    for (const part of found.parts) {
      lines.push(`${words.service}: ${part.service}`);
      for (const section of part.sections) {
        lines.push(`  ${pick(section.title, language)} (${section.kind})`);
        lines.push(`    ${words.purpose}: ${pick(section.purpose, language)}`);
        lines.push(`    ${words.retention}: ${pick(section.retention, language)}`);
        lines.push(`    ${words.count}: ${section.recordCount}`);
      }
      lines.push('');
    }
    lines.push(words.archive);
    return `${lines.join('\n')}\n`;
  };
}

export interface GatherDeps {
  readonly exports: DataExportStore;
  readonly sources: ReadonlyMap<ErasingService, PersonalDataSource>;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Exports looked at per run. */
  readonly batch: number;
}

/**
 * One run of the export worker: asks every service whose part of a due
 * export is missing, records what it answered or when to ask again, and
 * completes the exports every service has answered for.
 */
export function gatherDueExports(deps: GatherDeps) {
  return async (signal: AbortSignal): Promise<void> => {
    const due = await deps.exports.due(deps.clock(), deps.batch);
    for (const dataExport of due) {
      if (signal.aborted) return;
      let missing = 0;
      for (const part of dataExport.parts) {
        if (part.status === 'done') continue;
        const now = deps.clock();
        if (part.nextAttemptAt !== null && part.nextAttemptAt > now) {
          missing += 1;
          continue;
        }
        const source = deps.sources.get(part.service);
        try {
          if (source === undefined) throw new Error(`no personal data source for ${part.service}`);
          const sections = await source.exportPersonalData(dataExport.participantId);
          await deps.exports.partDone(
            dataExport.id,
            part.service,
            sections.map((section) => ({
              kind: section.kind,
              title: section.title ?? { zhCn: section.kind, en: section.kind },
              purpose: section.purpose ?? { zhCn: '', en: '' },
              retention: section.retention ?? { zhCn: '', en: '' },
              recordsJson: section.recordsJson,
              recordCount: Number(section.recordCount),
            })),
            deps.clock(),
          );
        } catch (error) {
          missing += 1;
          const code = isAppError(error) ? error.code : 'UPSTREAM_FAILED';
          const delay = retryDelayMs(part.attempts + 1, deps.retryBaseMs, deps.retryMaxMs);
          await deps.exports.partFailed(
            dataExport.id,
            part.service,
            code,
            new Date(now.getTime() + delay),
          );
          deps.logger.warn(
            { dataExport: dataExport.id, service: part.service, code, attempts: part.attempts + 1 },
            'personal data not gathered; asked again later',
          );
        }
      }
      if (missing === 0) await deps.exports.completed(dataExport.id, deps.clock());
    }
  };
}
