// learning.common.v1 spans several .proto files; consumers see it as one namespace.
export * from './gen/learning/common/v1/classification.js';
export * from './gen/learning/common/v1/event_metadata.js';
export * from './gen/learning/common/v1/jurisdiction.js';
export * from './gen/learning/common/v1/paging.js';
export * from './gen/learning/common/v1/quantity.js';
