/**
 * The expert pool (专家队伍): people known to registration, granted the
 * `expert` role by the office, who give the lectures.
 */

/** How far an expert travels: the city's streets only, or also the rural townships. */
export const TRAVEL_RADII = ['city', 'countryside'] as const;
export type TravelRadius = (typeof TRAVEL_RADII)[number];

export const EXPERT_STATUSES = ['active', 'retired'] as const;
export type ExpertStatus = (typeof EXPERT_STATUSES)[number];

/** A span of time the expert said they can lecture in; a session must lie inside one. */
export interface AvailabilityWindow {
  readonly startsAt: Date;
  readonly endsAt: Date;
}
