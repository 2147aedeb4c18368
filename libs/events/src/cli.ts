#!/usr/bin/env node
/**
 * learning-events topics               print the registry's topics as name:partitions, one per line
 * learning-events provision            create the registry's topics on KAFKA_BROKERS (CreateTopics)
 * learning-events replay-dlq <group>   send a consumer group's dead letters back to their topics
 */
import { parseArgs } from 'node:util';
import { Type } from '@sinclair/typebox';
import { kafkaEnv, listOf, loadConfig } from '@learning/config';
import { createRootLogger } from '@learning/logger';
import { createKafka, createProducer } from './kafka.js';
import { provisionTopics } from './provision.js';
import { topicsToProvision } from './registry.js';
import { replayDeadLetters } from './replay.js';

const usage = 'usage: learning-events topics | provision | replay-dlq <consumer-group>';

const { positionals } = parseArgs({ allowPositionals: true, options: {} });
const [command, argument] = positionals;

if (command === 'topics') {
  for (const spec of topicsToProvision()) process.stdout.write(`${spec.name}:${spec.partitions}\n`);
} else if (command === 'provision' || command === 'replay-dlq') {
  const config = loadConfig(Type.Object(kafkaEnv));
  const logger = createRootLogger({ service: 'learning-events', version: '0.1.0' });
  const kafka = createKafka({
    brokers: listOf(config.KAFKA_BROKERS),
    clientId: config.KAFKA_CLIENT_ID ?? 'learning-events-cli',
    logger,
  });
  if (command === 'provision') {
    const created = await provisionTopics(kafka, topicsToProvision());
    logger.info({ created }, `${created.length} topic(s) created`);
  } else {
    if (argument === undefined) throw new Error(usage);
    const producer = createProducer(kafka);
    await producer.connect();
    try {
      const replayed = await replayDeadLetters({
        kafka,
        producer,
        groupId: argument,
        logger,
        maxWaitTimeInMs: config.KAFKA_MAX_WAIT_MS,
      });
      logger.info({ replayed, groupId: argument }, 'replay finished');
    } finally {
      await producer.disconnect();
    }
  }
} else {
  process.stderr.write(`${usage}\n`);
  process.exitCode = 2;
}
