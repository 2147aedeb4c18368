export * from './config.js';
export * from './erasure-log.js';
export * from './kinds.js';
export * from './module.js';
