/**
 * Domain values and their protobuf enums, both ways, for every slice; an
 * unknown enum value is refused by the caller.
 */
import { common, registration } from '@learning/proto';
import type { OrganizationKind } from '../domain/departments.js';
import type { ParticipantSource, Tier } from '../domain/participants.js';

const TIER_TO_PROTO: Readonly<Record<Tier, common.Tier>> = {
  leading_cadre: common.Tier.TIER_LEADING_CADRE,
  ordinary_cadre: common.Tier.TIER_ORDINARY_CADRE,
  private_enterprise_staff: common.Tier.TIER_PRIVATE_ENTERPRISE_STAFF,
  ordinary_citizen: common.Tier.TIER_ORDINARY_CITIZEN,
  pupil: common.Tier.TIER_PUPIL,
};

const KIND_TO_PROTO: Readonly<Record<OrganizationKind, common.OrganizationKind>> = {
  agency: common.OrganizationKind.ORGANIZATION_KIND_AGENCY,
  public_institution: common.OrganizationKind.ORGANIZATION_KIND_PUBLIC_INSTITUTION,
  enterprise: common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE,
  community: common.OrganizationKind.ORGANIZATION_KIND_COMMUNITY,
  village_town: common.OrganizationKind.ORGANIZATION_KIND_VILLAGE_TOWN,
  family: common.OrganizationKind.ORGANIZATION_KIND_FAMILY,
};

const SOURCE_TO_PROTO: Readonly<Record<ParticipantSource, registration.ParticipantSource>> = {
  self: registration.ParticipantSource.PARTICIPANT_SOURCE_SELF,
  officer: registration.ParticipantSource.PARTICIPANT_SOURCE_OFFICER,
  import: registration.ParticipantSource.PARTICIPANT_SOURCE_IMPORT,
};

const inverse = <K extends string, V>(table: Readonly<Record<K, V>>): ReadonlyMap<V, K> =>
  new Map(Object.entries(table).map(([key, value]) => [value as V, key as K]));

const TIER_FROM_PROTO = inverse(TIER_TO_PROTO);
const KIND_FROM_PROTO = inverse(KIND_TO_PROTO);

export const tierToProto = (tier: Tier): common.Tier => TIER_TO_PROTO[tier];
export const organizationKindToProto = (kind: OrganizationKind): common.OrganizationKind =>
  KIND_TO_PROTO[kind];
export const sourceToProto = (source: ParticipantSource): registration.ParticipantSource =>
  SOURCE_TO_PROTO[source];

/** Undefined for UNSPECIFIED and values this build does not know. */
export const tierFromProto = (tier: common.Tier): Tier | undefined => TIER_FROM_PROTO.get(tier);
export const organizationKindFromProto = (
  kind: common.OrganizationKind,
): OrganizationKind | undefined => KIND_FROM_PROTO.get(kind);
