/**
 * The owner alert while the dispatcher is not on the platform: the pause is
 * published (SubscriptionPaused) and logged without any personal data;
 * DispatchedOwnerAlerts replaces it once the dispatcher lands.
 */
import type { Logger } from '@learning/logger';
import type { OwnerAlerts, StoredSubscription } from '../../application/webhooks/ports.js';

export class LoggedOwnerAlerts implements OwnerAlerts {
  constructor(private readonly logger: Logger) {}

  async subscriptionPaused(
    subscription: StoredSubscription,
    pause: { failures: number; lastError: string; at: Date },
  ): Promise<void> {
    this.logger.warn(
      { subscriptionId: subscription.id, owner: subscription.owner, failures: pause.failures },
      'webhook subscription paused after repeated failures',
    );
  }
}
