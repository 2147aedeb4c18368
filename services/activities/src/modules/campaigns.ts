import type { Module } from '../platform.js';

export const campaignsModule: Module = () => undefined;
