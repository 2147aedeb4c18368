/**
 * Reading the pool: the office lists and filters it, an expert reads their
 * own record and sessions, and anyone reads the active experts' public
 * profiles.
 */
import type { Principal } from '@learning/auth';
import type { ContentCategory } from '@learning/domain';
import type { ExpertStatus, TravelRadius } from '../../domain/experts.js';
import { findOwn, findReachable } from './access.js';
import { expertNotFound } from './errors.js';
import type {
  ExpertRepository,
  ListedExpert,
  Paged,
  SpeakerSession,
  SpeakerSessions,
  StoredExpert,
} from './ports.js';

export interface ReadExpertsDeps {
  readonly experts: ExpertRepository;
  readonly sessions: SpeakerSessions;
}

export interface PageRequest {
  readonly pageSize: number;
  readonly pageToken?: string;
}

export interface ListExpertsRequest extends PageRequest {
  readonly status?: ExpertStatus;
  readonly field?: ContentCategory;
  readonly travelRadius?: TravelRadius;
  readonly availableAt?: Date;
}

export function getExpert(deps: Pick<ReadExpertsDeps, 'experts'>) {
  return (principal: Principal, id: string): Promise<StoredExpert> =>
    findReachable(deps.experts, principal, id);
}

export function getOwnExpert(deps: Pick<ReadExpertsDeps, 'experts'>) {
  return (principal: Principal): Promise<StoredExpert> => findOwn(deps.experts, principal);
}

/** The office's list; the route admits city admins only. */
export function listExperts(deps: Pick<ReadExpertsDeps, 'experts'>) {
  return (request: ListExpertsRequest): Promise<Paged<ListedExpert>> =>
    deps.experts.search(request);
}

export function listPublicExperts(deps: Pick<ReadExpertsDeps, 'experts'>) {
  return (
    request: Omit<ListExpertsRequest, 'status' | 'availableAt'>,
  ): Promise<Paged<ListedExpert>> => deps.experts.search({ ...request, status: 'active' });
}

/** An active expert's public profile; a retired or unknown one is EXPERT_NOT_FOUND. */
export function getPublicExpert(deps: Pick<ReadExpertsDeps, 'experts'>) {
  return async (id: string): Promise<StoredExpert> => {
    const expert = await deps.experts.get(id);
    if (expert?.status !== 'active') throw expertNotFound();
    return expert;
  };
}

/** The sessions an expert gave or will give, latest first: to the office and the expert. */
export function expertSessions(deps: ReadExpertsDeps) {
  return async (
    principal: Principal,
    id: string,
    page: PageRequest,
  ): Promise<Paged<SpeakerSession>> => {
    const expert = await findReachable(deps.experts, principal, id);
    return deps.sessions.ofSpeaker(expert.id, page);
  };
}

export type GetExpert = ReturnType<typeof getExpert>;
export type GetOwnExpert = ReturnType<typeof getOwnExpert>;
export type ListExperts = ReturnType<typeof listExperts>;
export type ListPublicExperts = ReturnType<typeof listPublicExperts>;
export type GetPublicExpert = ReturnType<typeof getPublicExpert>;
export type ExpertSessions = ReturnType<typeof expertSessions>;
