/**
 * The registry's topics (libs/events) as Strimzi KafkaTopic resources, for
 * k8s/components/kafka-topics. Written by `pnpm --filter @learning/deploy
 * kafka-topics`; infra/deploy's test fails when the file and the registry differ.
 */
import { topicsToProvision, type TopicSpec } from '@learning/events';
import { stringify } from 'yaml';

export const KAFKA_TOPICS_FILE = 'k8s/components/kafka-topics/topics.yaml';

/** The Kafka resource's name in the production overlay: the topic operator watches its topics. */
export const KAFKA_CLUSTER = 'kafka';

/** Three brokers, each partition on all of them: one may be down while producers still get acks=all. */
const REPLICAS = 3;
const MIN_IN_SYNC_REPLICAS = 2;

const HEADER = `# Generated from libs/events' registry by \`pnpm --filter @learning/deploy kafka-topics\`:
# do not edit. Strimzi's topic operator creates each topic (and raises its
# partitions, never lowers them). infra/deploy's test checks this file against
# the registry and each topic's partitions against its consumers' HPA maximum.
`;

export function kafkaTopic(spec: TopicSpec): Record<string, unknown> {
  return {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaTopic',
    metadata: {
      name: spec.name,
      labels: {
        'strimzi.io/cluster': KAFKA_CLUSTER,
        'app.kubernetes.io/part-of': 'learning-society',
      },
    },
    spec: {
      topicName: spec.name,
      partitions: spec.partitions,
      replicas: REPLICAS,
      config: { 'min.insync.replicas': MIN_IN_SYNC_REPLICAS },
    },
  };
}

/** The whole file: one document per topic, in the registry's order. */
export const kafkaTopicsYaml = (specs: readonly TopicSpec[] = topicsToProvision()): string =>
  HEADER + specs.map((spec) => stringify(kafkaTopic(spec))).join('---\n');
