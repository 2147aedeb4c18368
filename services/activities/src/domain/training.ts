/**
 * Training (policy §4.2–4.4, §6.4): programmes a lead department runs over
 * some years with quotas per township, classes (培训班) under them whose
 * sessions trainees check in to, and the hours and completions that count
 * against the quotas. What the three parts of the slice share; each part's
 * rules live beside it (training-programmes.ts, training-classes.ts,
 * training-hours.ts). Pure.
 */
import type { ContentCategory, TrainingTargetGroup } from '@learning/domain';

/** The owner name registration files training classes' sign-ups under. */
export const TRAINING_OWNER = 'training';

/** The first and last year a programme may run: a programme is a plan, not a record of the past. */
export const PROGRAMME_YEARS = { min: 2000, max: 2100 } as const;
/** At most this many years in one programme (the policy's plans run five). */
export const MAX_PROGRAMME_YEARS = 10;

export type ProgrammeStatus = 'draft' | 'launched' | 'closed';

/** People to train in one township (or street) in one year. */
export interface TownshipQuota {
  readonly year: number;
  /** The township's or street's jurisdiction code. */
  readonly jurisdictionCode: string;
  readonly people: number;
}

export interface Programme {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The department that leads it (registration's department code). */
  readonly leadDepartment: string;
  /** The area it covers, from the city down: the city for a city-wide programme. */
  readonly jurisdictionPath: readonly string[];
  readonly firstYear: number;
  readonly lastYear: number;
  readonly targetGroups: readonly TrainingTargetGroup[];
  readonly categories: readonly ContentCategory[];
  /** Minutes of attendance a completion needs, within one year. */
  readonly requiredMinutes: number;
  /** Whether a completion also needs a passed skills test. */
  readonly skillsTest: boolean;
  readonly quotas: readonly TownshipQuota[];
  readonly status: ProgrammeStatus;
  /** For an enterprise's own programme: the enterprise; its classes are for its staff only. */
  readonly enterpriseId: string | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly launchedAt: Date | null;
}

/** Who runs a class. */
export type ClassOrganizer =
  | { readonly kind: 'department'; readonly departmentCode: string }
  | {
      readonly kind: 'organization';
      readonly organizationId: string;
      /** registration's kind: enterprise, community, village_town, … */
      readonly organizationKind: string;
    };

export type ClassStatus = 'draft' | 'published' | 'under_way' | 'completed' | 'cancelled';

export interface ClassSession {
  /** Stable within the class; registration's check-in names it. */
  readonly id: string;
  readonly start: Date;
  readonly end: Date;
  /** What the session teaches, for the trainee's schedule. */
  readonly topic: string;
}

export interface Trainer {
  /** The lectures service's expert id, when the trainer is one of its experts. */
  readonly expertId: string | null;
  readonly name: string;
}

export interface TrainingClass {
  readonly id: string;
  readonly programmeId: string;
  readonly title: string;
  readonly description: string;
  readonly organizer: ClassOrganizer;
  /** Where it is held, from the city down (a township or below). */
  readonly jurisdictionPath: readonly string[];
  readonly venueName: string;
  readonly address: string;
  readonly sessions: readonly ClassSession[];
  /** Seats; null for unlimited. */
  readonly capacity: number | null;
  /** Some of its programme's target groups. */
  readonly targetGroups: readonly TrainingTargetGroup[];
  readonly trainers: readonly Trainer[];
  /** False for an enterprise's class for its own staff: not listed, only its members sign up. */
  readonly public: boolean;
  readonly status: ClassStatus;
  readonly version: number;
  readonly createdAt: Date;
  readonly publishedAt: Date | null;
}
