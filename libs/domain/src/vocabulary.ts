/**
 * The names every service's domain shares with the rest of the platform
 * (DOMAIN.md): tiers of §5.1, the four content categories of §3, and the
 * jurisdiction-path test that scopes officers and audiences.
 */

/** The four tiers of §5.1, plus pupils for the children's programmes. */
export const TIERS = [
  'leading_cadre',
  'ordinary_cadre',
  'private_enterprise_staff',
  'ordinary_citizen',
  'pupil',
] as const;
export type Tier = (typeof TIERS)[number];

/** The four content categories of §3 that tag activities, lectures and credits. */
export const CONTENT_CATEGORIES = [
  'political_theory',
  'science_culture_skills',
  'market_economy_law',
  'ethics_etiquette',
] as const;
export type ContentCategory = (typeof CONTENT_CATEGORIES)[number];

/**
 * Whom a training programme is for (§4.2–4.4): rural labour and farmers,
 * laid-off and migrant workers, enterprises' managers, technical staff and
 * workers, and cadres and employees by layer.
 */
export const TRAINING_TARGET_GROUPS = [
  'rural_labour',
  'farmers',
  'laid_off_workers',
  'migrant_workers',
  'enterprise_managers',
  'technical_staff',
  'workers',
  'leading_cadres',
  'general_cadres',
  'employees',
] as const;
export type TrainingTargetGroup = (typeof TRAINING_TARGET_GROUPS)[number];

/** The kinds of learning organization of §4. */
export const ORGANIZATION_KINDS = [
  'agency',
  'public_institution',
  'enterprise',
  'community',
  'village_town',
  'family',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

/**
 * The award categories of the annual evaluation (§6.4): exemplary learning
 * organizations (of each kind), exemplary individuals, self-taught achievers
 * (自学成才) and innovators (创新成功者).
 */
export const AWARD_CATEGORIES = [
  'exemplary_organization',
  'exemplary_individual',
  'self_taught_achiever',
  'innovator',
] as const;
export type AwardCategory = (typeof AWARD_CATEGORIES)[number];

/** Administrative levels from the city down; township and street, village and community, are the same rank. */
export const JURISDICTION_LEVELS = ['city', 'township', 'street', 'village', 'community'] as const;
export type JurisdictionLevel = (typeof JURISDICTION_LEVELS)[number];

/** Whole years, both ends included. */
export interface AgeBand {
  readonly min: number;
  readonly max: number;
}

/**
 * Whether a node with this path (ancestor codes from the city down to the
 * node itself) lies in any of the subtrees rooted at `rootCodes`.
 */
export const isWithin = (path: readonly string[], rootCodes: readonly string[]): boolean =>
  path.some((code) => rootCodes.includes(code));
