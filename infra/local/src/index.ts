export { mongoStandInAvailable, startMongoStandIn } from './mongo.js';
export type { MongoStandIn, MongoStandInAvailability, MongoStandInOptions } from './mongo.js';
export { startKafkaStandIn } from './kafka.js';
export type { KafkaStandIn, KafkaStandInOptions, KafkaTopicSpec } from './kafka.js';
export { startSmtpSink } from './smtp-sink.js';
export type { ReceivedMail, SmtpRefusal, SmtpSink, SmtpSinkOptions } from './smtp-sink.js';
export { acceptEverything, startRecordingReceiver } from './recording-receiver.js';
export type {
  RecordedRequest,
  RecordingReceiver,
  RecordingReceiverOptions,
  Reply,
  Responder,
} from './recording-receiver.js';
export { byPath, delayed, failFirst, failFraction, smsProvider, wechatApi } from './responders.js';
export type {
  FailFractionOptions,
  ProviderPlay,
  SmsProviderOptions,
  WechatApiOptions,
} from './responders.js';
export {
  channelSinkEnvironment,
  RECEIVER_PORT,
  SINK_SMS_KEY,
  SINK_WECHAT_TOKEN,
  SMS_PATH,
  SMTP_SINK_PORT,
  startChannelSinks,
  WECHAT_PATH,
} from './channel-sinks.js';
export type { ChannelSinks, ChannelSinksOptions } from './channel-sinks.js';
export {
  parseProcessStat,
  parseProcessStatus,
  processCpuMs,
  processMemory,
  sampleProcessMemory,
  type ProcessMemory,
} from './process-usage.js';
export { GRPC_CALLS, wireServices, type WiredService } from './wiring.js';
export { OIDC_PROVIDER_PORT, PORTAL_PORT, SERVICE_PORTS } from './ports.js';
export {
  DEMO_PASSWORD,
  DemoAccountDirectory,
  demoAccounts,
  platformClaims,
  type DemoAccount,
  type DemoAccountSubjects,
} from './demo-accounts.js';
export {
  ensureSigningKey,
  LOCAL_JWT_AUDIENCE,
  LOCAL_JWT_ISSUER,
  ROLES,
  signingJwk,
  signLocalToken,
  type LocalTokenClaims,
} from './dev-token.js';
export {
  DEFAULT_DEMO_SEED,
  DEMO_CITY_SIZES,
  generateDemoCity,
  idNumberCheckCharacter,
  SIZE_SPECS,
  type DemoCity,
  type DemoCitySize,
} from './demo-city.js';
export {
  loadDemoCity,
  requestsFor,
  type DemoCitySummary,
  type DemoCityTargets,
} from './demo-city-loader.js';
export { startGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { buildPortal, PORTAL_DIST } from './portal.js';
