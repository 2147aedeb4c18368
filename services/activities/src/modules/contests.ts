import type { Module } from '../platform.js';

export const contestsModule: Module = () => undefined;
