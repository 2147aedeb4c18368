import type { Module } from '../platform.js';

export const schedulerModule: Module = () => undefined;
