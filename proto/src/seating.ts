/** learning.seating.v1: what owners of seated events (activities, lectures) offer registration. */
export {};
