import { afterAll, expect, it } from 'vitest';
import { brokerSwitch, captureLogger, describeWithServers } from '@learning/testing';
import { createKafka, kafkaReadiness } from '../../src/index.js';

describeWithServers(['kafka'], 'kafka readiness', (servers) => {
  const { logger } = captureLogger('readiness');
  const readiness = kafkaReadiness(
    createKafka({
      brokers: servers.kafka.brokers,
      clientId: 'readiness-test',
      logger,
      retry: { retries: 0 },
    }),
    1_500,
  );
  afterAll(() => readiness.close());

  it('when the broker answers, then the probe is true', async () => {
    expect(await readiness.check()).toBe(true);
  });

  it('when nothing listens at the address, then the probe is false within its timeout', async () => {
    const unreachable = kafkaReadiness(
      createKafka({
        brokers: ['127.0.0.1:1'],
        clientId: 'readiness-test',
        logger,
        retry: { retries: 0 },
      }),
      500,
    );
    expect(await unreachable.check()).toBe(false);
    await unreachable.close();
  });

  it('when the broker goes down, then the probe turns false, and true again when it is back', async (context) => {
    const outage = brokerSwitch(servers.kafka);
    if (outage === undefined) {
      context.skip(
        'a real cluster cannot be switched off from a test; runs against the local stand-in',
      );
      return;
    }
    await outage.down();
    try {
      expect(await readiness.check()).toBe(false);
    } finally {
      await outage.up();
    }
    let ready = false;
    for (let attempt = 0; attempt < 20 && !ready; attempt += 1) ready = await readiness.check();
    expect(ready).toBe(true);
  });
});
