import type { Module } from '../platform.js';

export const networkModule: Module = () => undefined;
