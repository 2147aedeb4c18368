/**
 * `learning topics list|provision` and `learning dlq replay <group>`: the
 * registry's topics and dead letters, through libs/events' own functions.
 */
import type { Command } from 'commander';
import {
  createKafka,
  createProducer,
  provisionTopics,
  replayDeadLetters,
  topicsToProvision,
} from '@learning/events';
import { createRootLogger, type Logger } from '@learning/logger';
import type { Io } from '../io.js';

const DEFAULT_BROKERS = '127.0.0.1:9092';
const brokersOption = [
  '--brokers <list>',
  'comma-separated host:port (env KAFKA_BROKERS)',
] as const;
const defaultBrokers = (): string => process.env['KAFKA_BROKERS'] ?? DEFAULT_BROKERS;

/** Logs on stderr, so stdout carries only the command's answer. */
const cliLogger = (): Logger =>
  createRootLogger({ service: 'learning-cli', version: '0.1.0', destination: process.stderr });

const kafkaOf = (brokers: string, logger: Logger) =>
  createKafka({
    brokers: brokers.split(',').map((broker) => broker.trim()),
    clientId: 'learning-cli',
    logger,
  });

export function registerKafka(program: Command, io: Io): void {
  const topics = program.command('topics').description("the event registry's Kafka topics");
  topics
    .command('list')
    .description('print every topic to provision as name:partitions, one per line')
    .action(() => {
      for (const spec of topicsToProvision()) io.out(`${spec.name}:${spec.partitions}\n`);
    });
  topics
    .command('provision')
    .description('create the missing topics on the brokers (existing ones are left as they are)')
    .option(...brokersOption, defaultBrokers())
    .action(async (options: { brokers: string }) => {
      const created = await provisionTopics(
        kafkaOf(options.brokers, cliLogger()),
        topicsToProvision(),
      );
      io.out(
        `${created.length} topic(s) created${created.length === 0 ? '' : `: ${created.join(', ')}`}\n`,
      );
    });

  program
    .command('dlq')
    .description("a consumer group's dead-letter topic")
    .command('replay <group>')
    .description(
      "send the group's dead letters back to their original topics, up to the end as it is now; a second run replays only what arrived since",
    )
    .option(...brokersOption, defaultBrokers())
    .action(async (group: string, options: { brokers: string }) => {
      const logger = cliLogger();
      const kafka = kafkaOf(options.brokers, logger);
      const producer = createProducer(kafka);
      await producer.connect();
      try {
        const replayed = await replayDeadLetters({ kafka, producer, groupId: group, logger });
        io.out(`${replayed} dead letter(s) of ${group} replayed\n`);
      } finally {
        await producer.disconnect();
      }
    });
}
