import type { Module } from '../platform.js';

export const activitiesModule: Module = () => undefined;
