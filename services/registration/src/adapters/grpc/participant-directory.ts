/** learning.registration.v1.ParticipantDirectoryService: translates gRPC to the use cases and back. */
import type { Principal } from '@learning/auth';
import { AppError } from '@learning/errors';
import type { GrpcServer } from '@learning/grpc';
import { registration, type common } from '@learning/proto';
import type { OrganizationKind } from '../../domain/departments.js';
import type { Tier } from '../../domain/participants.js';
import type {
  CountAudience,
  GetContacts,
  GetCurrentOrganizations,
  GetDirectoryParticipants,
  GetDirectoryParticipantsByAccount,
  ResolveAudience,
} from '../../application/participants/directory.js';
import type { ParticipantRecord } from '../../application/participants/participant-repository.js';
import { AUDIENCE_FILTER_INVALID } from '../../application/participants/errors.js';
import {
  organizationKindFromProto,
  tierFromProto,
  tierToProto,
} from '../../application/proto-mapping.js';

export interface ParticipantDirectoryUseCases {
  getDirectoryParticipants: GetDirectoryParticipants;
  getDirectoryParticipantsByAccount: GetDirectoryParticipantsByAccount;
  getContacts: GetContacts;
  getCurrentOrganizations: GetCurrentOrganizations;
  resolveAudience: ResolveAudience;
  countAudience: CountAudience;
}

const unknownEnum = (field: string): AppError =>
  new AppError(
    'invalid_argument',
    AUDIENCE_FILTER_INVALID,
    'The audience filter is not valid: it holds an unspecified or unknown enum value.',
    { details: [{ field, message: 'holds an unspecified or unknown value' }] },
  );

function enumValues<T, D>(
  values: readonly T[],
  fromProto: (value: T) => D | undefined,
  field: string,
): D[] {
  return values.map((value) => {
    const mapped = fromProto(value);
    if (mapped === undefined) throw unknownEnum(field);
    return mapped;
  });
}

/** The server refuses calls without a service token before a handler runs; this only narrows the type. */
function callerOf(principal: Principal | undefined): Principal {
  if (principal === undefined)
    throw new AppError('unauthenticated', 'TOKEN_MISSING', 'A service token is required.');
  return principal;
}

function audienceFilterOf(request: registration.CountAudienceRequest) {
  return {
    tiers: enumValues<common.Tier, Tier>(request.tiers, tierFromProto, '/tiers'),
    jurisdictionRoots: request.jurisdictionCodes,
    organizationKinds: enumValues<common.OrganizationKind, OrganizationKind>(
      request.organizationKinds,
      organizationKindFromProto,
      '/organizationKinds',
    ),
    ...(request.eventKey === '' ? {} : { eventKey: request.eventKey }),
  };
}

export function registerParticipantDirectory(
  grpc: GrpcServer,
  useCases: ParticipantDirectoryUseCases,
): void {
  grpc.addService(registration.ParticipantDirectoryServiceService, {
    async getParticipants(request) {
      const byAccount = request.accountSubjects.length > 0;
      // Ids are checked (1 to 500) unless the caller asks by account alone.
      const [byIds, byAccounts] = await Promise.all([
        request.ids.length > 0 || !byAccount ? useCases.getDirectoryParticipants(request.ids) : [],
        byAccount ? useCases.getDirectoryParticipantsByAccount(request.accountSubjects) : [],
      ]);
      const records = new Map<string, ParticipantRecord>();
      for (const record of [...byIds, ...byAccounts]) records.set(record.id, record);
      const organizations = await useCases.getCurrentOrganizations([...records.keys()]);
      return {
        participants: [...records.values()].map((record) => ({
          id: record.id,
          name: record.name,
          tier: tierToProto(record.tier),
          jurisdictionPath: [...record.jurisdictionPath],
          language: record.language,
          notificationsConsent: record.consent.notifications,
          maskedPhone: record.phone?.masked ?? '',
          // Only to service identities (the server refuses any other token); never logged.
          birthDate: record.birthDate ?? '',
          accountSubject: record.accountSubject ?? '',
          organizationIds: [...(organizations.get(record.id) ?? [])],
        })),
      };
    },

    async getContacts(request, call) {
      const contacts = await useCases.getContacts(callerOf(call.principal), request.ids);
      return {
        contacts: contacts.map((contact) => ({ ...contact })),
      };
    },

    async countAudience(request, call) {
      const count = await useCases.countAudience(audienceFilterOf(request), call.signal);
      return { count: String(count) };
    },

    async resolveAudience(request, call) {
      const pages = useCases.resolveAudience(
        {
          ...audienceFilterOf(request),
          ...(request.afterId === '' ? {} : { afterId: request.afterId }),
          pageSize: request.pageSize,
        },
        call.signal,
      );
      for await (const page of pages) {
        // Resolves once the page is buffered: a slow receiver slows the database reads with it.
        await call.send({
          participants: page.map((member) => ({
            id: member.id,
            tier: tierToProto(member.tier),
            jurisdictionPath: [...member.jurisdictionPath],
            language: member.language,
            notificationsConsent: member.notificationsConsent,
          })),
        });
      }
    },
  });
}
