/**
 * Tells the officers who own a paused subscription: the department's
 * officers (or the campaign office's), each by their duty contact, through
 * the dispatcher as a `subscription.paused` notice.
 */
import type { Officers, OfficerRole } from '@learning/registration-client';
import type { OwnerAlerts, StoredSubscription } from '../../application/webhooks/ports.js';
import type { Dispatcher } from '../../application/ports.js';

const DEPARTMENT_PREFIX = 'department:';
const OFFICER_PREFIX = 'officer:';

export class DispatchedOwnerAlerts implements OwnerAlerts {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly officers: Pick<Officers, 'find'>,
  ) {}

  async subscriptionPaused(
    subscription: StoredSubscription,
    pause: { failures: number; lastError: string; at: Date },
  ): Promise<void> {
    const owners = await this.ownersOf(subscription.owner);
    if (owners.length === 0) return;
    const host = new URL(subscription.url).host;
    await this.dispatcher.dispatch(
      owners.map((officer) => ({
        // One notice per pause: a second worker recording the same pause sends nothing twice.
        noticeId: `webhook-paused:${subscription.id}:${pause.at.getTime()}`,
        kind: 'subscription.paused',
        recipient: `officer:${officer.subject}`,
        contact: {
          language: officer.language,
          phone: officer.phone,
          email: officer.email,
          wechatOpenId: null,
        },
        urgent: true,
        variables: {
          subscription: subscription.id,
          url: host,
          failures: pause.failures,
          lastError: pause.lastError,
        },
        occurredAt: pause.at,
        sender: 'service:notifications',
      })),
    );
  }

  private async ownersOf(owner: string) {
    if (owner.startsWith(DEPARTMENT_PREFIX)) {
      return this.officers.find({
        roles: ['department_officer'],
        departmentCode: owner.slice(DEPARTMENT_PREFIX.length),
      });
    }
    const roles: OfficerRole[] = ['city_admin'];
    if (owner === 'city') return this.officers.find({ roles });
    if (owner.startsWith(OFFICER_PREFIX)) {
      const subject = owner.slice(OFFICER_PREFIX.length);
      const found = await this.officers.find({ roles: ['area_officer'] });
      return found.filter((officer) => officer.subject === subject);
    }
    // A city system's own subscription: it reads SubscriptionPaused from the topic.
    return [];
  }
}
