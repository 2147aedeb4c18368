/** PLACEHOLDER until its slice lands: registers nothing yet. */
import type { Module } from '../platform.js';

export const enrollmentsModule: Module = () => undefined;
