/**
 * Organizers and lead departments draft, edit, publish, move and cancel
 * classes. Each change is checked against the programme (launched, its area
 * and target groups), written with its event and audit record in one write,
 * and drops the public pages once a published class changes.
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import { Scope, type Principal } from '@learning/auth';
import { domainCall, type TrainingTargetGroup } from '@learning/domain';
import { AppError } from '@learning/errors';
import type { OutboxEntry } from '@learning/events';
import {
  assertDraft,
  assertMove,
  assertOrganizingDepartment,
  assertOrganizingOrganization,
  assertPlace,
  assertProgrammeOpen,
  capacityOf,
  sameSessions,
  scheduleSessions,
  statusAt,
  targetGroupsOf,
  TRAINING_CLASS_RESCHEDULE_EMPTY,
  type ClassMove,
  type SessionInput,
} from '../../../domain/training-classes.js';
import type { ClassOrganizer, Programme, Trainer } from '../../../domain/training.js';
import { invalidAt } from '../../errors.js';
import { knownPlace } from '../../activities/places.js';
import { activeOrganization, knownDepartment } from '../../organizers.js';
import type { Departments, Enrollments, Jurisdictions, Organizations } from '../../ports.js';
import { leadsProgramme, managesClass, organizes } from '../access.js';
import type { ProgrammeReader } from '../ports.js';
import {
  TRAINING_CLASS_CAPACITY_BELOW_ENROLLMENT,
  TRAINING_CLASS_CHANGE_EMPTY,
  TRAINING_CLASS_EXPERT_UNKNOWN,
  TRAINING_CLASS_FORBIDDEN,
  TRAINING_CLASS_ORGANIZER_NOT_ACTIVE,
  TRAINING_CLASS_ORGANIZER_UNKNOWN,
  TRAINING_CLASS_PROGRAMME_UNKNOWN,
  trainingClassErrors,
  trainingClassNotFound,
} from './errors.js';
import { auditViewOf, classCancelled, classPublished, classRescheduled } from './events.js';
import type {
  ClassChange,
  ClassRepository,
  Expert,
  ExpertDirectory,
  PublicClassPages,
  StoredClass,
} from './ports.js';

/** A trainer as a request names them: an expert of the pool by id, or anyone by name. */
export type TrainerInput = { readonly expertId: string } | { readonly name: string };

export type OrganizerInput =
  | { readonly kind: 'department'; readonly departmentCode: string }
  | { readonly kind: 'organization'; readonly organizationId: string };

export interface DraftFields {
  readonly title?: string;
  readonly description?: string;
  readonly venueName?: string;
  readonly address?: string;
  readonly sessions?: readonly SessionInput[];
  readonly capacity?: number | null;
  readonly targetGroups?: readonly TrainingTargetGroup[];
  readonly trainers?: readonly TrainerInput[];
}

export interface CreateClassRequest extends DraftFields {
  readonly programmeId: string;
  readonly title: string;
  readonly organizer: OrganizerInput;
  readonly jurisdictionCode: string;
  readonly sessions: readonly SessionInput[];
  readonly targetGroups: readonly TrainingTargetGroup[];
}

export interface RescheduleRequest {
  readonly sessions?: readonly SessionInput[];
  readonly capacity?: number | null;
  readonly reason: string;
}

export interface ClassDeps {
  readonly classes: ClassRepository;
  readonly programmes: ProgrammeReader;
  readonly jurisdictions: Jurisdictions;
  readonly organizations: Organizations;
  readonly departments: Departments;
  readonly experts: ExpertDirectory;
  readonly publicPages: PublicClassPages;
  /** Registration's sign-up figures of classes. */
  readonly seats: Enrollments;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

/** Trainers from the pool take the pool's name; others are named as given. */
async function trainersOf(
  inputs: readonly TrainerInput[],
  experts: ExpertDirectory,
): Promise<Trainer[]> {
  const ids = inputs.flatMap((input) => ('expertId' in input ? [input.expertId] : []));
  const found: ReadonlyMap<string, Expert> =
    ids.length === 0 ? new Map() : await experts.find([...new Set(ids)]);
  return inputs.map((input, index) => {
    if (!('expertId' in input)) return { expertId: null, name: input.name.trim() };
    const expert = found.get(input.expertId);
    if (expert === undefined || !expert.active)
      throw invalidAt(
        TRAINING_CLASS_EXPERT_UNKNOWN,
        'The lectures service has no active expert with that id.',
        `/trainers/${index}/expertId`,
      );
    return { expertId: expert.id, name: expert.name };
  });
}

async function organizerOf(
  input: OrganizerInput,
  programme: Programme,
  deps: Pick<ClassDeps, 'organizations' | 'departments'>,
): Promise<ClassOrganizer> {
  if (input.kind === 'department') {
    await knownDepartment(deps.departments, input.departmentCode, '/organizer/departmentCode');
    domainCall(() => {
      assertOrganizingDepartment(programme);
    });
    return input;
  }
  const organization = await activeOrganization(deps.organizations, input.organizationId, {
    unknown: TRAINING_CLASS_ORGANIZER_UNKNOWN,
    inactive: TRAINING_CLASS_ORGANIZER_NOT_ACTIVE,
    field: '/organizer/organizationId',
    doing: 'run training classes',
  });
  domainCall(() => {
    assertOrganizingOrganization(organization, programme);
  });
  return {
    kind: 'organization',
    organizationId: organization.id,
    organizationKind: organization.kind,
  };
}

/** The programme a request names, or 400: it must exist to say anything about it. */
async function programmeOf(programmes: ProgrammeReader, id: string): Promise<Programme> {
  const programme = await programmes.get(id);
  if (programme === null)
    throw invalidAt(
      TRAINING_CLASS_PROGRAMME_UNKNOWN,
      'There is no such programme.',
      '/programmeId',
    );
  return programme;
}

export function createClass(deps: ClassDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (principal: Principal, request: CreateClassRequest): Promise<StoredClass> => {
    const now = deps.clock();
    const programme = await programmeOf(deps.programmes, request.programmeId);
    // The organizer named must be the caller's own, unless the caller leads the programme.
    const named: ClassOrganizer =
      request.organizer.kind === 'department'
        ? request.organizer
        : { ...request.organizer, organizationKind: '' };
    if (!leadsProgramme(principal, programme) && !organizes(principal, named))
      throw trainingClassErrors.error(
        TRAINING_CLASS_FORBIDDEN,
        'You may draft classes only for your own organization or department, or under a programme you lead.',
      );
    const place = await knownPlace(deps.jurisdictions, request.jurisdictionCode);
    const { sessions, targetGroups, capacity } = domainCall(() => {
      assertProgrammeOpen(programme);
      assertPlace(place, programme);
      return {
        sessions: scheduleSessions(request.sessions, [], now, newId),
        targetGroups: targetGroupsOf(request.targetGroups, programme),
        capacity: capacityOf(request.capacity ?? null),
      };
    });
    const organizer = await organizerOf(request.organizer, programme, deps);
    const trainers = await trainersOf(request.trainers ?? [], deps.experts);
    const id = newId();
    const trainingClass: Omit<StoredClass, 'version'> = {
      id,
      programmeId: programme.id,
      leadDepartment: programme.leadDepartment,
      categories: [...programme.categories],
      title: request.title.trim(),
      description: request.description?.trim() ?? '',
      organizer,
      jurisdictionPath: [...place.path],
      venueName: request.venueName?.trim() ?? '',
      address: request.address?.trim() ?? '',
      sessions,
      capacity,
      targetGroups,
      trainers,
      public: programme.enterpriseId === null,
      status: 'draft',
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
      cancelledAt: null,
      cancellationReason: null,
    };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'training_class.create',
      entityType: 'training_class',
      entityId: id,
      jurisdictionPath: place.path,
      before: null,
      after: auditViewOf(trainingClass),
    });
    // The caller's right was checked against the programme and organizer above.
    return deps.classes.create(Scope.cityWide(), { ...trainingClass, events: [audit] });
  };
}

/** The class and its programme, when the caller may manage it; else "not found". */
async function managed(
  deps: Pick<ClassDeps, 'classes' | 'programmes'>,
  principal: Principal,
  id: string,
): Promise<{ trainingClass: StoredClass; programme: Programme }> {
  const trainingClass = await deps.classes.get(id);
  const programme =
    trainingClass === null ? null : await deps.programmes.get(trainingClass.programmeId);
  if (
    trainingClass === null ||
    programme === null ||
    !managesClass(principal, trainingClass, programme)
  )
    throw trainingClassNotFound();
  return { trainingClass, programme };
}

export function updateDraft(deps: ClassDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (
    principal: Principal,
    id: string,
    expectedVersion: number,
    fields: DraftFields,
  ): Promise<StoredClass> => {
    const now = deps.clock();
    const { trainingClass, programme } = await managed(deps, principal, id);
    domainCall(() => {
      assertDraft(trainingClass.status);
    });
    const change: { -readonly [K in keyof ClassChange]: ClassChange[K] } = { updatedAt: now };
    if (fields.title !== undefined) change.title = fields.title.trim();
    if (fields.description !== undefined) change.description = fields.description.trim();
    if (fields.venueName !== undefined) change.venueName = fields.venueName.trim();
    if (fields.address !== undefined) change.address = fields.address.trim();
    domainCall(() => {
      if (fields.sessions !== undefined)
        change.sessions = scheduleSessions(fields.sessions, trainingClass.sessions, now, newId);
      if (fields.capacity !== undefined) change.capacity = capacityOf(fields.capacity);
      if (fields.targetGroups !== undefined)
        change.targetGroups = targetGroupsOf(fields.targetGroups, programme);
    });
    if (fields.trainers !== undefined)
      change.trainers = await trainersOf(fields.trainers, deps.experts);
    if (Object.keys(change).length === 1)
      throw invalidAt(TRAINING_CLASS_CHANGE_EMPTY, 'Name at least one field to change.', '/');
    const after = { ...trainingClass, ...change };
    const audit = deps.audit.entry({
      actor: actorOf(principal),
      action: 'training_class.update',
      entityType: 'training_class',
      entityId: id,
      jurisdictionPath: trainingClass.jurisdictionPath,
      before: auditViewOf(trainingClass),
      after: auditViewOf(after),
    });
    return deps.classes.change(id, expectedVersion, change, [audit]);
  };
}

/** Writes a move with its event and audit record, then drops the public pages. */
async function applyMove(
  deps: ClassDeps,
  principal: Principal,
  before: StoredClass,
  move: ClassMove,
  change: ClassChange,
  event: (after: StoredClass) => OutboxEntry,
  reason?: string,
): Promise<StoredClass> {
  const after: StoredClass = { ...before, ...change };
  const audit = deps.audit.entry({
    actor: actorOf(principal),
    action: `training_class.${move}`,
    entityType: 'training_class',
    entityId: before.id,
    jurisdictionPath: before.jurisdictionPath,
    before: auditViewOf(before),
    after: auditViewOf(after),
    ...(reason === undefined ? {} : { reason }),
  });
  const stored = await deps.classes.change(before.id, before.version, change, [
    event(after),
    audit,
  ]);
  if (stored.public) await deps.publicPages.invalidate();
  return stored;
}

export function publishClass(deps: ClassDeps) {
  return async (principal: Principal, id: string): Promise<StoredClass> => {
    const now = deps.clock();
    const { trainingClass, programme } = await managed(deps, principal, id);
    domainCall(() => {
      assertMove(statusAt(trainingClass, now), 'publish');
      assertProgrammeOpen(programme);
      // A draft kept too long may have sessions that have begun.
      scheduleSessions(trainingClass.sessions, trainingClass.sessions, now, () => '');
    });
    return applyMove(
      deps,
      principal,
      trainingClass,
      'publish',
      { status: 'published', publishedAt: now, updatedAt: now },
      (after) => classPublished(after, now),
    );
  };
}

/** 409 when fewer seats than registration has confirmed: nobody loses a confirmed seat to a smaller room. */
async function assertSeatsFit(
  seats: Enrollments,
  trainingClass: StoredClass,
  capacity: number | null,
): Promise<void> {
  if (capacity === null || (trainingClass.capacity !== null && capacity >= trainingClass.capacity))
    return;
  const confirmed =
    (await seats.figuresOf([trainingClass.id])).get(trainingClass.id)?.confirmed ?? 0;
  if (confirmed > capacity)
    throw trainingClassErrors.error(
      TRAINING_CLASS_CAPACITY_BELOW_ENROLLMENT,
      `${confirmed} people already hold a seat; the capacity cannot go below that.`,
    );
}

export function rescheduleClass(deps: ClassDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (
    principal: Principal,
    id: string,
    request: RescheduleRequest,
  ): Promise<StoredClass> => {
    const now = deps.clock();
    const { trainingClass } = await managed(deps, principal, id);
    const change = domainCall(() => {
      assertMove(statusAt(trainingClass, now), 'reschedule');
      const sessions =
        request.sessions === undefined
          ? trainingClass.sessions
          : scheduleSessions(request.sessions, trainingClass.sessions, now, newId);
      const capacity =
        request.capacity === undefined ? trainingClass.capacity : capacityOf(request.capacity);
      if (sameSessions(sessions, trainingClass.sessions) && capacity === trainingClass.capacity)
        throw new AppError(
          'invalid_argument',
          TRAINING_CLASS_RESCHEDULE_EMPTY,
          'The sessions and the capacity are as they were.',
        );
      return { sessions: [...sessions], capacity, updatedAt: now };
    });
    await assertSeatsFit(deps.seats, trainingClass, change.capacity);
    return applyMove(
      deps,
      principal,
      trainingClass,
      'reschedule',
      change,
      (after) => classRescheduled(trainingClass, after, request.reason, now),
      request.reason,
    );
  };
}

export function cancelClass(deps: ClassDeps) {
  return async (principal: Principal, id: string, reason: string): Promise<StoredClass> => {
    const now = deps.clock();
    const { trainingClass } = await managed(deps, principal, id);
    domainCall(() => {
      assertMove(statusAt(trainingClass, now), 'cancel');
    });
    return applyMove(
      deps,
      principal,
      trainingClass,
      'cancel',
      { status: 'cancelled', cancelledAt: now, cancellationReason: reason, updatedAt: now },
      (after) => classCancelled(after, reason, now),
      reason,
    );
  };
}

export type CreateClass = ReturnType<typeof createClass>;
export type UpdateClassDraft = ReturnType<typeof updateDraft>;
export type PublishClass = ReturnType<typeof publishClass>;
export type RescheduleClass = ReturnType<typeof rescheduleClass>;
export type CancelClass = ReturnType<typeof cancelClass>;
