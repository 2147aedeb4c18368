/**
 * The lecture series (玉海大讲坛): the campaign office adds one under an owner
 * department registration lists; the office and that department's officers
 * edit its name and description. Anyone reads them: they are the programme's
 * own names.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '@learning/audit';
import type { Principal } from '@learning/auth';
import { domainCall } from '@learning/domain';
import { AppError } from '@learning/errors';
import { assertSeriesOffice } from '../../domain/forums.js';
import type { Departments } from '../ports.js';
import { catalogueAudit, seriesAuditView } from './audit.js';
import { changeEmpty, departmentUnknown, seriesNotFound } from './errors.js';
import type { Paged, SeriesFields, SeriesRepository, StoredSeries } from './ports.js';

export interface SeriesDeps {
  readonly series: SeriesRepository;
  readonly departments: Departments;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export interface CreateSeriesRequest {
  readonly name: string;
  readonly description?: string;
  readonly ownerDepartment: string;
}

/** 400 DEPARTMENT_UNKNOWN at `field` unless registration lists `code`. */
export async function knownDepartment(
  departments: Departments,
  code: string,
  field: string,
): Promise<void> {
  if (!(await departments.find([code])).has(code)) throw departmentUnknown(code, field);
}

export const versionConflict = (what: string): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    `The ${what} was changed by someone else; reload it and try again.`,
  );

export function createSeries(deps: SeriesDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (principal: Principal, request: CreateSeriesRequest): Promise<StoredSeries> => {
    // Adding a series is the campaign office's alone: no department owns one before it exists.
    domainCall(() => {
      assertSeriesOffice(principal, undefined);
    });
    await knownDepartment(deps.departments, request.ownerDepartment, '/ownerDepartment');
    const now = deps.clock();
    const series = {
      id: newId(),
      name: request.name.trim(),
      description: request.description?.trim() ?? '',
      ownerDepartment: request.ownerDepartment,
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    return deps.series.create({
      ...series,
      events: [
        catalogueAudit(
          deps.audit,
          principal,
          'series.create',
          { type: 'series', id: series.id },
          null,
          seriesAuditView(series),
        ),
      ],
    });
  };
}

export interface ChangeSeriesRequest extends Partial<SeriesFields> {
  /** The version the editor read. */
  readonly version: number;
}

export function changeSeries(deps: Omit<SeriesDeps, 'departments'>) {
  return async (
    principal: Principal,
    id: string,
    request: ChangeSeriesRequest,
  ): Promise<StoredSeries> => {
    const { version, ...fields } = request;
    const set: Partial<SeriesFields> = {
      ...(fields.name === undefined ? {} : { name: fields.name.trim() }),
      ...(fields.description === undefined ? {} : { description: fields.description.trim() }),
    };
    if (Object.keys(set).length === 0) throw changeEmpty();
    const series = await deps.series.get(id);
    if (series === null) throw seriesNotFound();
    domainCall(() => {
      assertSeriesOffice(principal, series.ownerDepartment);
    });
    if (series.version !== version) throw versionConflict('series');
    const now = deps.clock();
    return deps.series.change({
      id,
      expectedVersion: version,
      updatedAt: now,
      set,
      events: [
        catalogueAudit(
          deps.audit,
          principal,
          'series.change',
          { type: 'series', id },
          seriesAuditView(series),
          seriesAuditView({ ...series, ...set }),
        ),
      ],
    });
  };
}

export function getSeries(deps: Pick<SeriesDeps, 'series'>) {
  return async (id: string): Promise<StoredSeries> => {
    const series = await deps.series.get(id);
    if (series === null) throw seriesNotFound();
    return series;
  };
}

export function listSeries(deps: Pick<SeriesDeps, 'series'>) {
  return (request: { pageSize: number; pageToken?: string }): Promise<Paged<StoredSeries>> =>
    deps.series.list(request);
}

export type CreateSeries = ReturnType<typeof createSeries>;
export type ChangeSeries = ReturnType<typeof changeSeries>;
export type GetSeries = ReturnType<typeof getSeries>;
export type ListSeries = ReturnType<typeof listSeries>;
