/**
 * The office adds people registration knows to the pool, corrects their
 * profiles, retires and reactivates them; an expert edits their own profile
 * and availability. Each change is written with its audit record in one
 * write; no event is published (no contract names one).
 */
import { randomUUID } from 'node:crypto';
import { actorOf, type AuditTrail } from '@learning/audit';
import { CITY_WIDE_PATH, type Principal } from '@learning/auth';
import type { ContentCategory } from '@learning/domain';
import { AppError } from '@learning/errors';
import type { PiiVault } from '@learning/pii';
import type { ExpertStatus, TravelRadius } from '../../domain/experts.js';
import type { Participants } from '../ports.js';
import { findOwn, findReachable } from './access.js';
import {
  EXPERT_ALREADY_RETIRED,
  EXPERT_NOT_RETIRED,
  EXPERT_PERSON_UNKNOWN,
  expertAlreadyExists,
  expertChangeEmpty,
  expertErrors,
} from './errors.js';
import type { ExpertFields, ExpertRepository, NewExpert, StoredExpert } from './ports.js';
import { profileFields, type ProfileInput } from './profile.js';
import { auditView } from './views.js';

export interface ExpertDeps {
  readonly experts: ExpertRepository;
  readonly participants: Participants;
  readonly vault: PiiVault;
  readonly audit: AuditTrail;
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export interface AddExpertRequest extends ProfileInput {
  readonly accountSubject: string;
  readonly displayName: string;
  readonly fields: readonly ContentCategory[];
  readonly languages: readonly string[];
  readonly travelRadius: TravelRadius;
}

const versionConflict = (): AppError =>
  new AppError(
    'aborted',
    'VERSION_CONFLICT',
    'The expert was changed by someone else; reload it and try again.',
  );

export function addExpert(deps: ExpertDeps) {
  const newId = deps.newId ?? randomUUID;
  return async (principal: Principal, request: AddExpertRequest): Promise<StoredExpert> => {
    const profile = profileFields(request, deps.vault);
    const person = (await deps.participants.byAccounts([request.accountSubject])).get(
      request.accountSubject,
    );
    if (person === undefined)
      throw expertErrors.error(
        EXPERT_PERSON_UNKNOWN,
        'Registration knows no participant with that account; the person registers first.',
        { details: [{ field: '/accountSubject', message: 'is not a registered participant' }] },
      );
    if ((await deps.experts.byAccount(request.accountSubject)) !== null)
      throw expertAlreadyExists();
    const now = deps.clock();
    const expert: Omit<NewExpert, 'events'> = {
      id: newId(),
      accountSubject: request.accountSubject,
      participantId: person.id,
      displayName: request.displayName.trim(),
      title: '',
      employer: '',
      specialties: [],
      availability: [],
      phoneSealed: null,
      emailSealed: null,
      fields: [],
      languages: [],
      travelRadius: request.travelRadius,
      ...profile,
      status: 'active',
      createdBy: principal.subject,
      createdAt: now,
      updatedAt: now,
    };
    return deps.experts.create({
      ...expert,
      events: [
        deps.audit.entry({
          actor: actorOf(principal),
          action: 'expert.add',
          entityType: 'expert',
          entityId: expert.id,
          jurisdictionPath: CITY_WIDE_PATH,
          before: null,
          after: auditView(expert, deps.vault),
        }),
      ],
    });
  };
}

function storeChange(
  deps: Pick<ExpertDeps, 'experts' | 'vault' | 'audit' | 'clock'>,
  principal: Principal,
  action: string,
  expert: StoredExpert,
  set: Partial<ExpertFields>,
): Promise<StoredExpert> {
  return deps.experts.change({
    id: expert.id,
    expectedVersion: expert.version,
    updatedAt: deps.clock(),
    set,
    events: [
      deps.audit.entry({
        actor: actorOf(principal),
        action,
        entityType: 'expert',
        entityId: expert.id,
        jurisdictionPath: CITY_WIDE_PATH,
        before: auditView(expert, deps.vault),
        after: auditView({ ...expert, ...set }, deps.vault),
      }),
    ],
  });
}

export interface ChangeExpertRequest extends ProfileInput {
  /** The version the editor read. */
  readonly version: number;
}

async function change(
  deps: ExpertDeps,
  principal: Principal,
  expert: StoredExpert,
  request: ChangeExpertRequest,
): Promise<StoredExpert> {
  const { version, ...input } = request;
  if (Object.keys(input).length === 0) throw expertChangeEmpty();
  const set = profileFields(input, deps.vault);
  if (expert.version !== version) throw versionConflict();
  return storeChange(deps, principal, 'expert.change', expert, set);
}

/** The office corrects any expert's profile. */
export function changeExpert(deps: ExpertDeps) {
  return async (
    principal: Principal,
    id: string,
    request: ChangeExpertRequest,
  ): Promise<StoredExpert> =>
    change(deps, principal, await findReachable(deps.experts, principal, id), request);
}

/** An expert edits their own profile and availability. */
export function changeOwnExpert(deps: ExpertDeps) {
  return async (principal: Principal, request: ChangeExpertRequest): Promise<StoredExpert> =>
    change(deps, principal, await findOwn(deps.experts, principal), request);
}

function moveExpert(
  deps: ExpertDeps,
  move: { readonly action: string; readonly from: ExpertStatus; readonly to: ExpertStatus },
) {
  return async (
    principal: Principal,
    id: string,
    request: { readonly version?: number },
  ): Promise<StoredExpert> => {
    const expert = await findReachable(deps.experts, principal, id);
    if (request.version !== undefined && request.version !== expert.version)
      throw versionConflict();
    if (expert.status !== move.from)
      throw move.to === 'retired'
        ? expertErrors.error(EXPERT_ALREADY_RETIRED, 'The expert is retired already.')
        : expertErrors.error(
            EXPERT_NOT_RETIRED,
            'The expert is active; only a retired one is reactivated.',
          );
    return storeChange(deps, principal, move.action, expert, { status: move.to });
  };
}

/** The office retires an expert: gone from the public pool, no new sessions. */
export const retireExpert = (deps: ExpertDeps) =>
  moveExpert(deps, { action: 'expert.retire', from: 'active', to: 'retired' });

export const reactivateExpert = (deps: ExpertDeps) =>
  moveExpert(deps, { action: 'expert.reactivate', from: 'retired', to: 'active' });

export type AddExpert = ReturnType<typeof addExpert>;
export type ChangeExpert = ReturnType<typeof changeExpert>;
export type ChangeOwnExpert = ReturnType<typeof changeOwnExpert>;
export type MoveExpert = ReturnType<typeof retireExpert>;
