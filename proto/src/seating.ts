/** learning.seating.v1: what owners of seated events (activities, lectures) offer registration. */
export * from './gen/learning/seating/v1/seated_event_source.js';
