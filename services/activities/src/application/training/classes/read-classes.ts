/**
 * Reading classes: managers see what their role reaches (see ../access.ts),
 * the public sees published public classes, with their status at the time
 * of asking.
 */
import { hasRole, type Principal } from '@learning/auth';
import type { Page } from '@learning/domain';
import { statusAt } from '../../../domain/training-classes.js';
import { readsClass } from '../access.js';
import type { ProgrammeReader } from '../ports.js';
import { trainingClassNotFound } from './errors.js';
import type {
  ClassQuery,
  ClassRepository,
  ClassVisibility,
  PublicClassQuery,
  StoredClass,
} from './ports.js';

export interface ClassReadDeps {
  readonly classes: ClassRepository;
  readonly programmes: ProgrammeReader;
  readonly clock: () => Date;
}

/** What a manager's list may hold; the same rules as readsClass, as a query. */
export function visibilityOf(principal: Principal): ClassVisibility {
  const all = hasRole(principal, 'city_admin');
  const department =
    hasRole(principal, 'department_officer') && principal.department !== undefined
      ? [principal.department]
      : [];
  const organizations = hasRole(principal, 'org_admin') ? [...principal.organizations] : [];
  const areas = !hasRole(principal, 'area_officer')
    ? []
    : principal.cityWide
      ? []
      : [...principal.jurisdictions];
  return {
    all: all || (hasRole(principal, 'area_officer') && principal.cityWide),
    departments: department,
    organizations,
    areas,
  };
}

/** The class with its status at `now` instead of the stored one. */
const asOf = (trainingClass: StoredClass, now: Date): StoredClass => ({
  ...trainingClass,
  status: statusAt(trainingClass, now),
});

export function classReads(deps: ClassReadDeps) {
  return {
    async get(principal: Principal, id: string): Promise<StoredClass> {
      const trainingClass = await deps.classes.get(id);
      const programme =
        trainingClass === null ? null : await deps.programmes.get(trainingClass.programmeId);
      if (
        trainingClass === null ||
        programme === null ||
        !readsClass(principal, trainingClass, programme)
      )
        throw trainingClassNotFound();
      return asOf(trainingClass, deps.clock());
    },

    async list(principal: Principal, query: ClassQuery): Promise<Page<StoredClass>> {
      const page = await deps.classes.list(visibilityOf(principal), query);
      const now = deps.clock();
      return { ...page, items: page.items.map((item) => asOf(item, now)) };
    },

    async listPublic(query: Omit<PublicClassQuery, 'openAfter'>): Promise<Page<StoredClass>> {
      const now = deps.clock();
      const page = await deps.classes.listPublic({ ...query, openAfter: now });
      return { ...page, items: page.items.map((item) => asOf(item, now)) };
    },

    /** Any published public class, whatever became of it since (drafts and private classes are not found). */
    async getPublic(id: string): Promise<StoredClass> {
      const trainingClass = await deps.classes.get(id);
      if (trainingClass === null || !trainingClass.public || trainingClass.publishedAt === null)
        throw trainingClassNotFound();
      return asOf(trainingClass, deps.clock());
    },

    /** Any class that was published, for registration; null for drafts and unknown ids. */
    async getSeated(id: string): Promise<StoredClass | null> {
      const trainingClass = await deps.classes.get(id);
      if (trainingClass === null || trainingClass.publishedAt === null) return null;
      return asOf(trainingClass, deps.clock());
    },
  };
}

export type ClassReads = ReturnType<typeof classReads>;
