export * from './jurisdictions.js';
export * from './departments.js';
export * from './participants.js';
export * from './organizations.js';
export * from './enrollment.js';
