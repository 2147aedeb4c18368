/**
 * A lecture session: one lecture of a forum, at a venue, at a time, by speakers
 * from the pool.
 */

export const SESSION_STATUSES = ['scheduled', 'held', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * Whether a venue is in the city (a street, 街道) or the countryside (a
 * township, 乡镇): the jurisdiction level of the venue's township-rank node.
 */
export const VENUE_SETTINGS = ['city', 'countryside'] as const;
export type VenueSetting = (typeof VENUE_SETTINGS)[number];
