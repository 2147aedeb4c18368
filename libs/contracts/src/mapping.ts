/**
 * The shared vocabulary and its protobuf enums, both ways. `fromProto`
 * answers undefined for UNSPECIFIED and values this build does not know;
 * callers refuse those with their own error.
 */
import type {
  AwardCategory,
  ContentCategory,
  JurisdictionLevel,
  OrganizationKind,
  Tier,
  TrainingTargetGroup,
} from '@learning/domain';
import { activities, common, scoring } from '@learning/proto';

const inverse = <K extends string, V>(table: Readonly<Record<K, V>>): ReadonlyMap<V, K> =>
  new Map(Object.entries(table).map(([key, value]) => [value as V, key as K]));

function mapping<K extends string, V>(table: Readonly<Record<K, V>>) {
  const back = inverse(table);
  return {
    toProto: (value: K): V => table[value],
    fromProto: (value: V): K | undefined => back.get(value),
  };
}

export const tierMapping = mapping<Tier, common.Tier>({
  leading_cadre: common.Tier.TIER_LEADING_CADRE,
  ordinary_cadre: common.Tier.TIER_ORDINARY_CADRE,
  private_enterprise_staff: common.Tier.TIER_PRIVATE_ENTERPRISE_STAFF,
  ordinary_citizen: common.Tier.TIER_ORDINARY_CITIZEN,
  pupil: common.Tier.TIER_PUPIL,
});

export const organizationKindMapping = mapping<OrganizationKind, common.OrganizationKind>({
  agency: common.OrganizationKind.ORGANIZATION_KIND_AGENCY,
  public_institution: common.OrganizationKind.ORGANIZATION_KIND_PUBLIC_INSTITUTION,
  enterprise: common.OrganizationKind.ORGANIZATION_KIND_ENTERPRISE,
  community: common.OrganizationKind.ORGANIZATION_KIND_COMMUNITY,
  village_town: common.OrganizationKind.ORGANIZATION_KIND_VILLAGE_TOWN,
  family: common.OrganizationKind.ORGANIZATION_KIND_FAMILY,
});

export const contentCategoryMapping = mapping<ContentCategory, common.ContentCategory>({
  political_theory: common.ContentCategory.CONTENT_CATEGORY_POLITICAL_THEORY,
  science_culture_skills: common.ContentCategory.CONTENT_CATEGORY_SCIENCE_CULTURE_SKILLS,
  market_economy_law: common.ContentCategory.CONTENT_CATEGORY_MARKET_ECONOMY_LAW,
  ethics_etiquette: common.ContentCategory.CONTENT_CATEGORY_ETHICS_ETIQUETTE,
});

export const jurisdictionLevelMapping = mapping<JurisdictionLevel, common.JurisdictionLevel>({
  city: common.JurisdictionLevel.JURISDICTION_LEVEL_CITY,
  township: common.JurisdictionLevel.JURISDICTION_LEVEL_TOWNSHIP,
  street: common.JurisdictionLevel.JURISDICTION_LEVEL_STREET,
  village: common.JurisdictionLevel.JURISDICTION_LEVEL_VILLAGE,
  community: common.JurisdictionLevel.JURISDICTION_LEVEL_COMMUNITY,
});

const group = activities.TrainingTargetGroup;
export const trainingTargetGroupMapping = mapping<
  TrainingTargetGroup,
  activities.TrainingTargetGroup
>({
  rural_labour: group.TRAINING_TARGET_GROUP_RURAL_LABOUR,
  farmers: group.TRAINING_TARGET_GROUP_FARMERS,
  laid_off_workers: group.TRAINING_TARGET_GROUP_LAID_OFF_WORKERS,
  migrant_workers: group.TRAINING_TARGET_GROUP_MIGRANT_WORKERS,
  enterprise_managers: group.TRAINING_TARGET_GROUP_ENTERPRISE_MANAGERS,
  technical_staff: group.TRAINING_TARGET_GROUP_TECHNICAL_STAFF,
  workers: group.TRAINING_TARGET_GROUP_WORKERS,
  leading_cadres: group.TRAINING_TARGET_GROUP_LEADING_CADRES,
  general_cadres: group.TRAINING_TARGET_GROUP_GENERAL_CADRES,
  employees: group.TRAINING_TARGET_GROUP_EMPLOYEES,
});

const award = scoring.AwardCategory;
export const awardCategoryMapping = mapping<AwardCategory, scoring.AwardCategory>({
  exemplary_organization: award.AWARD_CATEGORY_EXEMPLARY_ORGANIZATION,
  exemplary_individual: award.AWARD_CATEGORY_EXEMPLARY_INDIVIDUAL,
  self_taught_achiever: award.AWARD_CATEGORY_SELF_TAUGHT_ACHIEVER,
  innovator: award.AWARD_CATEGORY_INNOVATOR,
});
