export { mongoStandInAvailable, startMongoStandIn } from './mongo.js';
export type { MongoStandIn, MongoStandInAvailability, MongoStandInOptions } from './mongo.js';
export { startKafkaStandIn } from './kafka.js';
export type { KafkaStandIn, KafkaStandInOptions, KafkaTopicSpec } from './kafka.js';
