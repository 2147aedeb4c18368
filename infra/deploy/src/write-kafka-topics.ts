/** Writes k8s/components/kafka-topics/topics.yaml from libs/events' registry. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KAFKA_TOPICS_FILE, kafkaTopicsYaml } from './kafka-topics.js';

const path = fileURLToPath(new URL(`../../../${KAFKA_TOPICS_FILE}`, import.meta.url));
writeFileSync(path, kafkaTopicsYaml());
process.stdout.write(`wrote ${KAFKA_TOPICS_FILE}\n`);
