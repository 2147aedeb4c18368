/** Container images for testcontainers runs, pinned here and nowhere else. */
export const images = {
  mongo: 'mongo:8.0.4',
  kafka: 'apache/kafka:3.9.0',
  redis: 'redis:7.4.2-alpine',
} as const;
