/**
 * The platform's shared kernel: pure rules and names every service's domain
 * uses alike (the tiers and content categories of the policy, China's
 * calendar, contact data, jurisdiction subtrees, money in fen, the domain's
 * own error). No I/O, no frameworks: a service's src/domain/ may import it.
 */
export * from './errors.js';
export * from './calendar.js';
export * from './vocabulary.js';
export * from './translation.js';
export * from './paging.js';
export * from './contact.js';
export * from './verification-code.js';
export * from './money.js';
