/**
 * Officers look people up inside their scope: an area officer within their
 * subtrees, the city admin and city-wide department officers everywhere.
 * Someone outside the scope is "not found", so existence does not leak.
 * Phone and ID number are searched by their keyed hash, never stored or
 * compared in the clear.
 */
import { type Principal, Scope } from '@learning/auth';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@learning/http';
import type { Page } from '@learning/domain';
import type { PiiVault } from '@learning/pii';
import {
  chinaDateOf,
  parseIdNumber,
  parseMobilePhone,
  type Tier,
} from '../../domain/participants.js';
import { domainCall } from '../errors.js';
import { participantNotFound } from './errors.js';
import type { ParticipantRecord, ParticipantRepository } from './participant-repository.js';

export interface OfficerReadDeps {
  readonly participants: ParticipantRepository;
  readonly pii: PiiVault;
  readonly clock: () => Date;
}

export interface SearchRequest {
  readonly tier?: Tier;
  readonly jurisdiction?: string;
  readonly namePrefix?: string;
  readonly phone?: string;
  readonly idNumber?: string;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export function searchParticipants(deps: OfficerReadDeps) {
  return async (principal: Principal, request: SearchRequest): Promise<Page<ParticipantRecord>> => {
    const scope = Scope.of(principal);
    const hashes = domainCall(() => ({
      phone:
        request.phone === undefined
          ? undefined
          : deps.pii.blindIndex('phone', parseMobilePhone(request.phone)),
      idNumber:
        request.idNumber === undefined
          ? undefined
          : deps.pii.blindIndex(
              'id-number',
              parseIdNumber(request.idNumber, chinaDateOf(deps.clock())).idNumber,
            ),
    }));
    const namePrefix = request.namePrefix?.normalize('NFC').trim().replace(/\s+/gu, ' ');
    return deps.participants.search(scope, {
      pageSize: Math.min(MAX_PAGE_SIZE, Math.max(1, request.pageSize ?? DEFAULT_PAGE_SIZE)),
      ...(request.tier === undefined ? {} : { tier: request.tier }),
      ...(request.jurisdiction === undefined ? {} : { jurisdictionCode: request.jurisdiction }),
      ...(namePrefix === undefined || namePrefix === '' ? {} : { namePrefix }),
      ...(hashes.phone === undefined ? {} : { phoneHash: hashes.phone }),
      ...(hashes.idNumber === undefined ? {} : { idNumberHash: hashes.idNumber }),
      ...(request.pageToken === undefined ? {} : { pageToken: request.pageToken }),
    });
  };
}

export function getParticipant(deps: Pick<OfficerReadDeps, 'participants'>) {
  return async (principal: Principal, id: string): Promise<ParticipantRecord> => {
    const record = await deps.participants.byId(Scope.of(principal), id);
    if (record === null) throw participantNotFound();
    return record;
  };
}

export type SearchParticipants = ReturnType<typeof searchParticipants>;
export type GetParticipant = ReturnType<typeof getParticipant>;
