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
