import type { Kafka } from 'kafkajs';
import type { TopicSpec } from './registry.js';

/**
 * The explicit provisioning step for clusters that implement CreateTopics
 * (compose, production). Existing topics are left as they are.
 */
export async function provisionTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
  replicationFactor = -1,
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor,
        })),
      });
    }
    return missing.map((spec) => spec.name);
  } finally {
    await admin.disconnect();
  }
}
