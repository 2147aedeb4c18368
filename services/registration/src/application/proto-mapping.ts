/**
 * Domain values and their protobuf enums, both ways, for every slice; an
 * unknown enum value is refused by the caller. The shared vocabulary's
 * mappings are the platform's (@learning/contracts); the participant's source is ours.
 */
import { organizationKindMapping, tierMapping } from '@learning/contracts';
import type { OrganizationKind, Tier } from '@learning/domain';
import { registration, type common } from '@learning/proto';
import type { ParticipantSource } from '../domain/participants.js';

const SOURCE_TO_PROTO: Readonly<Record<ParticipantSource, registration.ParticipantSource>> = {
  self: registration.ParticipantSource.PARTICIPANT_SOURCE_SELF,
  officer: registration.ParticipantSource.PARTICIPANT_SOURCE_OFFICER,
  import: registration.ParticipantSource.PARTICIPANT_SOURCE_IMPORT,
};

export const tierToProto: (tier: Tier) => common.Tier = tierMapping.toProto;
export const organizationKindToProto: (kind: OrganizationKind) => common.OrganizationKind =
  organizationKindMapping.toProto;
export const sourceToProto = (source: ParticipantSource): registration.ParticipantSource =>
  SOURCE_TO_PROTO[source];

/** Undefined for UNSPECIFIED and values this build does not know. */
export const tierFromProto: (tier: common.Tier) => Tier | undefined = tierMapping.fromProto;
export const organizationKindFromProto: (
  kind: common.OrganizationKind,
) => OrganizationKind | undefined = organizationKindMapping.fromProto;
