/**
 * The dispatch scheduler's tick (decision 0017 point 3): build the digests
 * that fell due, release held notices whose quiet hours ended, and send again
 * what is pending past its claim or due for a retry. Every step claims what
 * it works on atomically, so a second replica or an extra run sends nothing
 * twice; each step acts on what is due now, not on the tick.
 */
import { mergeDigest } from '../../domain/digests.js';
import type { RecipientContact } from '../../domain/notices.js';
import { SEND_LEASE_MS, type DispatchCore, type DispatchItem } from './dispatch.js';
import type { AddressSeal, DeliveryStore, DigestMember } from './ports.js';

/** Deliveries taken per step and tick; what is left waits for the next tick. */
export const SCHEDULER_BATCH = 500;

export interface SchedulerDeps {
  readonly deliveries: DeliveryStore;
  readonly dispatcher: DispatchCore;
  readonly seal: AddressSeal;
  readonly clock: () => Date;
}

const ADDRESS_FIELDS = { sms: 'phone', email: 'email', wechat: 'wechatOpenId' } as const;

/** An officer's digest goes to the addresses the senders gave; a participant's to registration's current ones. */
function officerContactOf(members: readonly DigestMember[], seal: AddressSeal): RecipientContact {
  const contact: { phone: string | null; email: string | null; wechatOpenId: string | null } = {
    phone: null,
    email: null,
    wechatOpenId: null,
  };
  for (const member of members)
    if (member.channel !== 'inbox' && member.sealedAddress !== null)
      contact[ADDRESS_FIELDS[member.channel]] = seal.open(member.sealedAddress);
  return { language: 'zh-CN', ...contact };
}

export function dispatchScheduler(deps: SchedulerDeps): { tick(): Promise<void> } {
  const { deliveries, dispatcher, seal, clock } = deps;

  async function buildDigests(): Promise<void> {
    const now = clock();
    const members = await deliveries.dueDigestMembers(now, SCHEDULER_BATCH);
    // One digest per person, period and channel: its notice id is the digest's id.
    const groups = new Map<string, DigestMember[]>();
    for (const member of members) {
      const key = `${member.digestId}\n${member.channel}`;
      groups.set(key, [...(groups.get(key) ?? []), member]);
    }
    const items: DispatchItem[] = [];
    const digestDeliveryIds = new Map<string, readonly DigestMember[]>();
    for (const group of groups.values()) {
      const first = group[0];
      if (first === undefined) continue;
      const officer = first.recipient.startsWith('officer:');
      items.push({
        request: {
          noticeId: first.digestId,
          kind: 'digest',
          recipient: first.recipient,
          ...(officer ? { contact: officerContactOf(group, seal) } : {}),
          urgent: false,
          variables: mergeDigest(group, first.digestPeriod),
          occurredAt: first.dueAt,
          sender: 'notifications:digest',
        },
        channels: [first.channel],
        merged: group.map((member) => member.id),
      });
      digestDeliveryIds.set(`${first.digestId}:${first.recipient}:${first.channel}`, group);
    }
    if (items.length === 0) return;
    const created = await dispatcher.dispatchItems(items);
    // A digest made before (by another replica, or a run that stopped before marking) keeps its own
    // list: those merged are marked, any notice it lacks goes out on its own.
    const existing = await deliveries.mergedBy(
      [...digestDeliveryIds.keys()].filter((id) => !created.has(id)),
    );
    const digested: string[] = [];
    const released: string[] = [];
    for (const [digestDeliveryId, group] of digestDeliveryIds) {
      const merged = created.has(digestDeliveryId)
        ? new Set(group.map((member) => member.id))
        : new Set(existing.get(digestDeliveryId) ?? []);
      for (const member of group) (merged.has(member.id) ? digested : released).push(member.id);
    }
    await deliveries.markDigested(digested, now);
    await deliveries.releaseFromDigest(released, now);
  }

  async function releaseHeld(): Promise<void> {
    const now = clock();
    await dispatcher.sendClaimed(
      await deliveries.claimDueHeld(now, new Date(now.getTime() + SEND_LEASE_MS), SCHEDULER_BATCH),
    );
  }

  async function retryPending(): Promise<void> {
    const now = clock();
    await dispatcher.sendClaimed(
      await deliveries.claimDuePending(
        now,
        new Date(now.getTime() + SEND_LEASE_MS),
        SCHEDULER_BATCH,
      ),
    );
  }

  return {
    async tick() {
      await buildDigests();
      await releaseHeld();
      await retryPending();
    },
  };
}
