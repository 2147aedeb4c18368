import { describeWithServers } from '@learning/testing';
import { expect, it } from 'vitest';
import { useNotificationsStack } from '../support/stack.js';

describeWithServers(
  ['mongo', 'kafka', 'redis'],
  'notifications with the channel sinks',
  (servers) => {
    const stack = useNotificationsStack(servers, { channelSinks: true });

    it('when the stack starts with the channel sinks, then they listen and the app has a gateway for each channel', async () => {
      const metrics = await (await fetch(`${stack.notifications.base}/metrics`)).text();

      expect(stack.sinks.smtp.port).toBeGreaterThan(0);
      expect(stack.sinks.receiver.port).toBeGreaterThan(0);
      expect(metrics).toContain('# TYPE notifications_gateway_sent_total counter');
      expect(metrics).toContain('# TYPE notifications_gateway_send_seconds histogram');
    });
  },
);
