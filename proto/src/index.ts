/**
 * Generated contracts, one namespace per protobuf package: `common.Tier`,
 * `health.HealthService`. Regenerate with `pnpm proto:gen`; never edit src/gen.
 */
export * as common from './common.js';
export * as health from './gen/grpc/health/v1/health.js';
export * as registration from './registration.js';
export * as seating from './seating.js';
export * as activities from './activities.js';
export * as lectures from './lectures.js';
export * as scoring from './scoring.js';
export * as notifications from './notifications.js';
export * as privacy from './privacy.js';
